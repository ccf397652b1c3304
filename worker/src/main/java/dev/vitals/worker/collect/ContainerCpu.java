package dev.vitals.worker.collect;

import org.jspecify.annotations.Nullable;

/**
 * CPU use of the worker's container over one window of the {@link CpuSampler}, against its quota.
 *
 * @param percentUsed      CPU time used in the window as a share of the quota's time, 0–100
 * @param effectiveCpus    the quota in CPUs at the window's end
 * @param throttledPercent share of the quota's periods in the window in which the container was throttled, 0–100
 * @param throttledSeconds time its tasks spent throttled in the window, in seconds
 * @param cgroup           the cgroup holding the quota
 */
public record ContainerCpu(double percentUsed, double effectiveCpus, double throttledPercent, double throttledSeconds,
                           String cgroup) {

    /**
     * The container's use between two readings {@code windowNanos} apart; null when they cannot be compared (no
     * reading, another cgroup holds the quota now, counters went back).
     */
    static @Nullable ContainerCpu between(CgroupFs.@Nullable Cpu before, CgroupFs.@Nullable Cpu now, long windowNanos) {
        if (before == null || now == null || !before.cgroup().equals(now.cgroup()) || windowNanos <= 0
                || now.usageNanos() < before.usageNanos()) {
            return null;
        }
        double usedCpus = (double) (now.usageNanos() - before.usageNanos()) / windowNanos;
        double percent = Math.clamp(100.0 * usedCpus / now.effectiveCpus(), 0.0, 100.0);
        long periods = Math.max(0, now.periods() - before.periods());
        long throttled = Math.clamp(now.throttledPeriods() - before.throttledPeriods(), 0, periods);
        double throttledPercent = periods == 0 ? 0 : 100.0 * throttled / periods;
        double throttledSeconds = Math.max(0, now.throttledNanos() - before.throttledNanos()) / 1e9;
        return new ContainerCpu(percent, now.effectiveCpus(), throttledPercent, throttledSeconds, now.cgroup());
    }
}
