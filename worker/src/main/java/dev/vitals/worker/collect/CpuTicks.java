package dev.vitals.worker.collect;

import java.util.OptionalDouble;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;

/**
 * One reading of the machine's CPU time counters, summed over every logical CPU, in milliseconds since boot
 * (the units of {@link CentralProcessor#getSystemCpuLoadTicks()}). A counter means nothing alone; two readings
 * give the busy share of the time between them.
 *
 * @param idleMillis  time spent with nothing to run, waiting for I/O included (idle + iowait)
 * @param totalMillis time spent in every state: user, nice, system, idle, iowait, irq, softirq and steal
 */
record CpuTicks(long idleMillis, long totalMillis) {

    /**
     * Reads OSHI's tick array, indexed by {@link TickType}.
     *
     * @throws IllegalArgumentException when the array has fewer entries than there are tick types
     */
    static CpuTicks of(long[] ticks) {
        if (ticks.length < TickType.values().length) {
            throw new IllegalArgumentException("expected " + TickType.values().length + " CPU tick counters, got "
                    + ticks.length);
        }
        long total = 0;
        for (TickType type : TickType.values()) {
            total += ticks[type.getIndex()];
        }
        long idle = ticks[TickType.IDLE.getIndex()] + ticks[TickType.IOWAIT.getIndex()];
        return new CpuTicks(idle, total);
    }

    /**
     * The share of CPU time spent busy since an earlier reading, 0–100: busy = total − idle − iowait, over
     * total. Steal counts as busy: the time was not available to this machine.
     *
     * @return empty when the total did not advance (no time passed for the counters, or they were reset), as
     *         there is nothing to divide by
     */
    OptionalDouble percentUsedSince(CpuTicks earlier) {
        long total = totalMillis - earlier.totalMillis;
        if (total <= 0) {
            return OptionalDouble.empty();
        }
        long idle = idleMillis - earlier.idleMillis;
        // Linux's iowait counter may step back a little; keep the share within 0–100 rather than report noise.
        long busy = Math.clamp(total - idle, 0L, total);
        return OptionalDouble.of(100.0 * busy / total);
    }
}
