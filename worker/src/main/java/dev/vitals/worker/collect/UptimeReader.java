package dev.vitals.worker.collect;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import oshi.software.os.OperatingSystem;

/**
 * How long the machine has been running, for the report's {@code uptime_seconds}. The system is asked
 * (Linux: {@code /proc/uptime}) at most once per {@link #REREAD_AFTER}; in between, the time passed since
 * (on the JVM's monotonic clock) is added to the last answer, so a busy worker does not open a file per
 * report for a figure whose unit is the second.
 */
public final class UptimeReader {

    /** How long one answer of the system's is used. */
    static final Duration REREAD_AFTER = Duration.ofSeconds(1);

    private record Reading(long seconds, long atNanos) {
    }

    private final Supplier<Reading> reading;

    public UptimeReader(OperatingSystem os) {
        this(os::getSystemUptime);
    }

    /** @param secondsSinceBoot the system's uptime in whole seconds */
    UptimeReader(LongSupplier secondsSinceBoot) {
        this.reading = new CachedValue<>(() -> new Reading(Math.max(0, secondsSinceBoot.getAsLong()), System.nanoTime()),
                REREAD_AFTER, Clock.systemUTC());
    }

    /** Time since boot, to the whole second; zero when unknown. */
    public Duration uptime() {
        Reading last = reading.get();
        return Duration.ofSeconds(last.seconds() + (System.nanoTime() - last.atNanos()) / 1_000_000_000L);
    }
}
