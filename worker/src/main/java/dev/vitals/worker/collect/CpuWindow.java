package dev.vitals.worker.collect;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * CPU use of the whole machine over one window between two readings of its counters, and of the worker's
 * container when its cgroup sets a CPU quota.
 *
 * @param percentUsed busy share of the window across all logical CPUs, 0–100
 * @param window      how long the window lasted, by the sampler's clock; always positive
 * @param sampledAt   when the window ended, by the sampler's clock
 * @param container   the worker's container over the same window, against its CPU quota; null when its cgroup sets
 *                    no quota (or it could not be read)
 */
public record CpuWindow(double percentUsed, Duration window, Instant sampledAt, @Nullable ContainerCpu container) {

    public CpuWindow {
        if (percentUsed < 0 || percentUsed > 100) {
            throw new IllegalArgumentException("percentUsed must be within 0–100, got " + percentUsed);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
    }

    /** The window's length in seconds, with sub-second precision. */
    public double windowSeconds() {
        return window.toNanos() / 1e9;
    }
}
