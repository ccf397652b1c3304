package dev.vitals.worker.collect;

import dev.vitals.model.CheckName;
import dev.vitals.model.MemoryUsage;
import java.util.function.Supplier;
import oshi.hardware.GlobalMemory;

/**
 * Physical memory. "Available" is memory new work can get without swapping (Linux's {@code MemAvailable}), so
 * page cache the kernel would drop does not count as used.
 */
public final class MemoryCollector implements Collector {

    /** Memory is reported in MiB: bytes / 2^20. */
    static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    private final Supplier<MemoryBytes> memory;

    MemoryCollector(Supplier<MemoryBytes> memory) {
        this.memory = memory;
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
        return usage(memory.get());
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
