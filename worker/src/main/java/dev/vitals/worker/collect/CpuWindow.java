package dev.vitals.worker.collect;

import java.time.Duration;
import java.time.Instant;

/**
 * CPU use of the whole machine over one window between two readings of its counters.
 *
 * @param percentUsed busy share of the window across all logical CPUs, 0–100
 * @param window      how long the window lasted, by the sampler's clock; always positive
 * @param sampledAt   when the window ended, by the sampler's clock
 */
public record CpuWindow(double percentUsed, Duration window, Instant sampledAt) {

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
