package dev.vitals.worker.collect;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import oshi.software.os.OperatingSystem;

/**
 * How long the machine has been running, for the report's {@code uptime_seconds}. The system is asked
 * (Linux: {@code /proc/uptime}) at most once per {@link #REREAD_AFTER}, so a busy worker does not open a
 * file for every report; the figure is in whole seconds and at most that much behind.
 */
public final class UptimeReader {

    /** How long one answer of the system's is used. */
    static final Duration REREAD_AFTER = Duration.ofSeconds(1);

    private final Supplier<Duration> uptime;

    public UptimeReader(OperatingSystem os) {
        this(os::getSystemUptime);
    }

    /** @param secondsSinceBoot the system's uptime in whole seconds */
    UptimeReader(LongSupplier secondsSinceBoot) {
        this.uptime = new CachedValue<>(() -> Duration.ofSeconds(Math.max(0, secondsSinceBoot.getAsLong())),
                REREAD_AFTER, Clock.systemUTC());
    }

    /** Time since boot, to the whole second; zero when unknown. */
    public Duration uptime() {
        return uptime.get();
    }
}
