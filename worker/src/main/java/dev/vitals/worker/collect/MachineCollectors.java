package dev.vitals.worker.collect;

import dev.vitals.model.CheckName;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.software.os.OperatingSystem;
import oshi.util.PlatformEnum;

/**
 * One collector per check for this machine, each wired to the cheapest source it has here: on Linux, memory,
 * threads, processes and mounts come straight from {@code /proc}; elsewhere from OSHI. CPU comes from the
 * sampler and load averages from OSHI everywhere.
 */
public final class MachineCollectors {

    private static final Logger log = LoggerFactory.getLogger(MachineCollectors.class);

    private MachineCollectors() {
    }

    /**
     * The worker's cgroups when {@code scope} may grade against them, and a line in the log saying what cpu and memory
     * are graded against; null with {@link GradeScope#HOST}, where there are none, or when they cannot be read (said
     * in a warning: the checks are then graded against the host).
     */
    public static @Nullable CgroupFs cgroupsFor(GradeScope scope, SystemInfo systemInfo) {
        if (scope == GradeScope.HOST) {
            log.info("Grading cpu and memory against the host (grade-scope = host)");
            return null;
        }
        CgroupFs cgroups;
        try {
            cgroups = CgroupFs.ofThisProcess().orElse(null);
        } catch (RuntimeException e) {
            log.warn("Cannot read this worker's cgroup; grading cpu and memory against the host: {}", e.getMessage());
            return null;
        }
        long totalBytes = systemInfo.getHardware().getMemory().getTotal();
        int cpus = systemInfo.getHardware().getProcessor().getLogicalProcessorCount();
        String memory = cgroups == null ? null : cgroups.memory().filter(m -> m.limitBytes() < totalBytes)
                .map(m -> "memory against the limit of " + (m.limitBytes() >> 20) + " MB of cgroup " + m.cgroup()
                        + " (v" + m.version() + ")").orElse(null);
        String cpu = cgroups == null ? null : cgroups.cpu().filter(c -> c.effectiveCpus() < cpus)
                .map(c -> "cpu against the quota of " + c.effectiveCpus() + " CPU of cgroup " + c.cgroup()
                        + " (v" + c.version() + ")").orElse(null);
        String line = "Grading " + (memory != null ? memory : "memory against the host (no memory limit below its "
                + (totalBytes >> 20) + " MB)") + " and " + (cpu != null ? cpu : "cpu against the host (no CPU quota "
                + "below its " + cpus + " CPUs)") + " (grade-scope = " + scope.id() + ")";
        if (scope == GradeScope.CONTAINER && (memory == null || cpu == null)) {
            log.warn("{}; the reports say so in the checks' reasons", line);
        } else {
            log.info(line);
        }
        return cgroups;
    }

    /** As {@link #forThisMachine(SystemInfo, CpuSampler, List, Clock)} with the system clock. */
    public static Map<CheckName, Collector> forThisMachine(SystemInfo systemInfo, CpuSampler cpuSampler,
            List<String> watchedPaths) {
        return forThisMachine(systemInfo, cpuSampler, watchedPaths, Clock.systemUTC());
    }

    /** As {@link #forThisMachine(SystemInfo, CpuSampler, List, Clock, CgroupFs, GradeScope)} graded on the host. */
    public static Map<CheckName, Collector> forThisMachine(SystemInfo systemInfo, CpuSampler cpuSampler,
            List<String> watchedPaths, Clock clock) {
        return forThisMachine(systemInfo, cpuSampler, watchedPaths, clock, null, GradeScope.HOST);
    }

    /**
     * @param systemInfo   OSHI's view of this machine
     * @param cpuSampler   the started sampler the CPU check reads its window from (reading {@code cgroups} too
     *                     for the cpu check to grade a container)
     * @param watchedPaths mount points the disk check watches; empty for every real local file system
     * @param clock        ages the cached mount list and process count
     * @param cgroups      the worker's cgroups; null where there are none
     * @param scope        what cpu and memory are graded against
     * @return an unmodifiable map holding a collector for every {@link CheckName}
     */
    public static Map<CheckName, Collector> forThisMachine(SystemInfo systemInfo, CpuSampler cpuSampler,
            List<String> watchedPaths, Clock clock, @Nullable CgroupFs cgroups, GradeScope scope) {
        boolean linuxProc = PlatformEnum.getCurrentPlatform() == PlatformEnum.LINUX
                && ProcFs.isAvailable(ProcFs.DEFAULT_ROOT);
        return wire(systemInfo, cpuSampler, watchedPaths, clock, linuxProc ? new ProcFs(ProcFs.DEFAULT_ROOT) : null,
                cgroups, scope);
    }

    /** Wires the collectors to {@code proc} where it can serve, or to OSHI throughout when it is null. */
    static Map<CheckName, Collector> wire(SystemInfo systemInfo, CpuSampler cpuSampler, List<String> watchedPaths,
            Clock clock, @Nullable ProcFs proc) {
        return wire(systemInfo, cpuSampler, watchedPaths, clock, proc, null, GradeScope.HOST);
    }

    private static Map<CheckName, Collector> wire(SystemInfo systemInfo, CpuSampler cpuSampler,
            List<String> watchedPaths, Clock clock, @Nullable ProcFs proc, @Nullable CgroupFs cgroups,
            GradeScope scope) {
        CentralProcessor processor = systemInfo.getHardware().getProcessor();
        OperatingSystem os = systemInfo.getOperatingSystem();
        Map<CheckName, Collector> collectors = new EnumMap<>(CheckName.class);
        put(collectors, new CpuCollector(cpuSampler, processor.getLogicalProcessorCount(), scope));
        MemoryCollector memory = proc != null
                ? MemoryCollector.fromProc(proc)
                : MemoryCollector.fromOshi(systemInfo.getHardware().getMemory());
        put(collectors, memory.inContainer(cgroups, scope));
        put(collectors, proc != null
                ? DiskCollector.fromProc(proc, watchedPaths, clock)
                : DiskCollector.fromOshi(os.getFileSystem(), watchedPaths, clock));
        put(collectors, new LoadCollector(processor));
        put(collectors, proc != null ? ThreadsCollector.fromProc(proc, clock) : ThreadsCollector.fromOshi(os, clock));
        return Collections.unmodifiableMap(collectors);
    }

    private static void put(Map<CheckName, Collector> collectors, Collector collector) {
        collectors.put(collector.check(), collector);
    }
}
