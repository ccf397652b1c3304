package dev.vitals.worker.collect;

import dev.vitals.model.CheckName;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
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

    private MachineCollectors() {
    }

    /** As {@link #forThisMachine(SystemInfo, CpuSampler, List, Clock)} with the system clock. */
    public static Map<CheckName, Collector> forThisMachine(SystemInfo systemInfo, CpuSampler cpuSampler,
            List<String> watchedPaths) {
        return forThisMachine(systemInfo, cpuSampler, watchedPaths, Clock.systemUTC());
    }

    /**
     * @param systemInfo   OSHI's view of this machine
     * @param cpuSampler   the started sampler the CPU check reads its window from
     * @param watchedPaths mount points the disk check watches; empty for every real local file system
     * @param clock        ages the cached mount list and process count
     * @return an unmodifiable map holding a collector for every {@link CheckName}
     */
    public static Map<CheckName, Collector> forThisMachine(SystemInfo systemInfo, CpuSampler cpuSampler,
            List<String> watchedPaths, Clock clock) {
        boolean linuxProc = PlatformEnum.getCurrentPlatform() == PlatformEnum.LINUX
                && ProcFs.isAvailable(ProcFs.DEFAULT_ROOT);
        return wire(systemInfo, cpuSampler, watchedPaths, clock, linuxProc ? new ProcFs(ProcFs.DEFAULT_ROOT) : null);
    }

    /** Wires the collectors to {@code proc} where it can serve, or to OSHI throughout when it is null. */
    static Map<CheckName, Collector> wire(SystemInfo systemInfo, CpuSampler cpuSampler, List<String> watchedPaths,
            Clock clock, @Nullable ProcFs proc) {
        CentralProcessor processor = systemInfo.getHardware().getProcessor();
        OperatingSystem os = systemInfo.getOperatingSystem();
        Map<CheckName, Collector> collectors = new EnumMap<>(CheckName.class);
        put(collectors, new CpuCollector(cpuSampler, processor.getLogicalProcessorCount()));
        put(collectors, proc != null
                ? MemoryCollector.fromProc(proc)
                : MemoryCollector.fromOshi(systemInfo.getHardware().getMemory()));
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
