package dev.vitals.worker.collect;

import dev.vitals.model.CheckName;
import dev.vitals.model.MemoryUsage;
import dev.vitals.model.Scope;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import oshi.hardware.GlobalMemory;

/**
 * Physical memory. "Available" is memory new work can get without swapping (Linux's {@code MemAvailable}), so
 * page cache the kernel would drop does not count as used.
 *
 * <p>With {@link GradeScope#AUTO} or {@link GradeScope#CONTAINER}, when the worker's cgroup sets a memory limit below
 * the host's memory, the check is graded against that limit: used is what the kernel counts against it (usage less
 * inactive file cache), and the host's figures stand beside it.
 */
public final class MemoryCollector implements Collector {

    /** Memory is reported in MiB: bytes / 2^20. */
    static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    static final String NO_LIMIT = "graded against the host: grade-scope is container, but this worker's cgroup "
            + "sets no memory limit below the host's memory";

    private final Supplier<MemoryBytes> memory;
    private final Supplier<Optional<CgroupFs.Memory>> cgroup;
    private final GradeScope scope;

    MemoryCollector(Supplier<MemoryBytes> memory) {
        this(memory, Optional::empty, GradeScope.HOST);
    }

    MemoryCollector(Supplier<MemoryBytes> memory, Supplier<Optional<CgroupFs.Memory>> cgroup, GradeScope scope) {
        this.memory = memory;
        this.cgroup = cgroup;
        this.scope = scope;
    }

    /** This collector grading against the memory limit of {@code cgroups} (none when null) as {@code scope} says. */
    MemoryCollector inContainer(@Nullable CgroupFs cgroups, GradeScope scope) {
        return new MemoryCollector(memory, cgroups == null ? Optional::empty : cgroups::memory, scope);
    }

    /**
     * Reads through OSHI, on any platform. OSHI re-reads the figures at most every 300 ms
     * ({@code oshi.util.memoizer.expiration}), and its reading is slower than {@link #fromProc} on Linux.
     */
    public static MemoryCollector fromOshi(GlobalMemory memory) {
        return new MemoryCollector(() -> new MemoryBytes(memory.getTotal(), memory.getAvailable()));
    }

    /** Reads Linux's {@code /proc/meminfo} on every call. */
    static MemoryCollector fromProc(ProcFs proc) {
        return new MemoryCollector(proc::memory);
    }

    @Override
    public CheckName check() {
        return CheckName.MEMORY;
    }

    /**
     * @return percent used (0–100), available and total memory in MiB
     * @throws MetricUnavailableException when the total is unknown
     */
    @Override
    public MemoryUsage collect() {
        MemoryBytes bytes = memory.get();
        MemoryUsage host = usage(bytes);
        if (scope == GradeScope.HOST) {
            return host;
        }
        Optional<CgroupFs.Memory> limited = cgroup.get().filter(m -> m.limitBytes() < bytes.totalBytes());
        if (limited.isPresent()) {
            return usage(limited.get(), host);
        }
        return scope == GradeScope.CONTAINER ? host.withScopeNote(NO_LIMIT) : host;
    }

    /** Memory of a container: used as the kernel counts it against the limit, as a share of the limit. */
    static MemoryUsage usage(CgroupFs.Memory container, MemoryUsage host) {
        long limit = container.limitBytes();
        long used = Math.clamp(container.usedBytes(), 0L, limit);
        double limitMb = limit / BYTES_PER_MIB;
        return new MemoryUsage(100.0 * used / limit, (limit - used) / BYTES_PER_MIB, limitMb, Scope.CONTAINER,
                limitMb, host.percentUsed(), host.totalMb(), null);
    }

    /**
     * Memory use from byte counts: used = total − available, as a share of total.
     *
     * @throws MetricUnavailableException when {@code totalBytes} is not positive
     */
    static MemoryUsage usage(MemoryBytes bytes) {
        long totalBytes = bytes.totalBytes();
        long availableBytes = bytes.availableBytes();
        if (totalBytes <= 0) {
            throw new MetricUnavailableException("total memory is unknown on this machine");
        }
        long available = Math.clamp(availableBytes, 0L, totalBytes);
        double percentUsed = 100.0 * (totalBytes - available) / totalBytes;
        return new MemoryUsage(percentUsed, available / BYTES_PER_MIB, totalBytes / BYTES_PER_MIB);
    }
}
