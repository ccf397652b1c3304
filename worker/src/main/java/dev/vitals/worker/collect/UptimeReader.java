package dev.vitals.worker.collect;

import java.time.Duration;
import oshi.software.os.OperatingSystem;

/** How long the machine has been running, for the report's {@code uptime_seconds}. */
public final class UptimeReader {

    private final OperatingSystem os;

    public UptimeReader(OperatingSystem os) {
        this.os = os;
    }

    /** Time since boot, to the whole second (Linux reads {@code /proc/uptime}); zero when unknown. */
    public Duration uptime() {
        return Duration.ofSeconds(Math.max(0, os.getSystemUptime()));
    }
}
