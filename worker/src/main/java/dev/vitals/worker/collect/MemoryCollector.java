package dev.vitals.worker.collect;

import dev.vitals.model.CheckName;
import dev.vitals.model.MemoryUsage;
import oshi.hardware.GlobalMemory;

/**
 * Physical memory from OSHI. "Available" is memory new work can get without swapping (Linux's
 * {@code MemAvailable}), so page cache the kernel would drop does not count as used. OSHI re-reads it at most
 * every 300 ms ({@code oshi.util.memoizer.expiration}).
 */
public final class MemoryCollector implements Collector {

    /** Memory is reported in MiB: bytes / 2^20. */
    static final double BYTES_PER_MIB = 1024.0 * 1024.0;

    private final GlobalMemory memory;

    public MemoryCollector(GlobalMemory memory) {
        this.memory = memory;
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
        return usage(memory.getTotal(), memory.getAvailable());
    }

    /**
     * Memory use from byte counts: used = total − available, as a share of total.
     *
     * @throws MetricUnavailableException when {@code totalBytes} is not positive
     */
    static MemoryUsage usage(long totalBytes, long availableBytes) {
        if (totalBytes <= 0) {
            throw new MetricUnavailableException("total memory is unknown on this machine");
        }
        long available = Math.clamp(availableBytes, 0L, totalBytes);
        double percentUsed = 100.0 * (totalBytes - available) / totalBytes;
        return new MemoryUsage(percentUsed, available / BYTES_PER_MIB, totalBytes / BYTES_PER_MIB);
    }
}
