package dev.vitals.worker.collect;

import dev.vitals.model.CheckName;
import dev.vitals.model.CpuUsage;
import dev.vitals.model.Scope;

/**
 * CPU use from the {@link CpuSampler}'s latest window. Never blocks: before the first window closes (one
 * sampling interval after start) the metric is unavailable. With {@link GradeScope#AUTO} or
 * {@link GradeScope#CONTAINER}, a window with the container's figures is graded against the CPU quota, the host's
 * percentage beside it; a quota of all the machine's CPUs or more limits nothing and counts as none.
 */
public final class CpuCollector implements Collector {

    private final CpuSampler sampler;
    static final String NO_QUOTA = "graded against the host: grade-scope is container, but this worker's cgroup "
            + "sets no CPU quota below the machine's CPUs";

    private final int logicalCpus;
    private final GradeScope scope;

    /**
     * @param sampler     a started sampler
     * @param logicalCpus the machine's logical CPUs, reported alongside the percentage
     */
    public CpuCollector(CpuSampler sampler, int logicalCpus) {
        this(sampler, logicalCpus, GradeScope.HOST);
    }

    /**
     * @param sampler     a started sampler
     * @param logicalCpus the machine's logical CPUs, reported alongside the percentage
     * @param scope       what to grade against
     */
    public CpuCollector(CpuSampler sampler, int logicalCpus, GradeScope scope) {
        this.sampler = sampler;
        this.logicalCpus = logicalCpus;
        this.scope = scope;
    }

    @Override
    public CheckName check() {
        return CheckName.CPU;
    }

    /**
     * @return busy percent (0–100) over the latest window, the logical CPU count, and that window's real length
     *         in seconds
     * @throws MetricUnavailableException when no window has closed yet
     */
    @Override
    public CpuUsage collect() {
        CpuWindow window = sampler.latest().orElseThrow(() -> new MetricUnavailableException(
                "no CPU sample yet: the first window closes within " + sampler.interval().toMillis()
                        + " ms of the worker's start"));
        return usage(window, logicalCpus, scope);
    }

    /** The measurement of {@code window}, graded against the container or the host as {@code scope} says. */
    static CpuUsage usage(CpuWindow window, int logicalCpus, GradeScope scope) {
        CpuUsage host = new CpuUsage(window.percentUsed(), logicalCpus, window.windowSeconds());
        ContainerCpu container = window.container();
        if (scope == GradeScope.HOST) {
            return host;
        }
        if (container != null && container.effectiveCpus() < logicalCpus) {
            return new CpuUsage(container.percentUsed(), logicalCpus, window.windowSeconds(), Scope.CONTAINER,
                    container.effectiveCpus(), window.percentUsed(), container.throttledPercent(),
                    container.throttledSeconds(), null);
        }
        return scope == GradeScope.CONTAINER ? host.withScopeNote(NO_QUOTA) : host;
    }
}
