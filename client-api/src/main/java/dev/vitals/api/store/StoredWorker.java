package dev.vitals.api.store;

import dev.vitals.model.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A worker as the registry knows it.
 *
 * @param lastSeen          when an API replica last heard from it, by that replica's clock
 * @param heartbeatInterval how often it said it sends heartbeats
 * @param lastStatus        the overall status of its latest report, if any
 * @param stopped           it said goodbye with a last {@code stopped} heartbeat
 */
public record StoredWorker(
        String workerId,
        String hostname,
        String version,
        Instant startedAt,
        Instant lastSeen,
        Duration heartbeatInterval,
        @Nullable HealthStatus lastStatus,
        boolean stopped) {

    /**
     * Alive: it did not say goodbye and was heard from within {@code missedHeartbeats} of its own
     * heartbeat intervals.
     */
    public boolean isAlive(Instant now, int missedHeartbeats) {
        return !stopped && !lastSeen.plus(heartbeatInterval.multipliedBy(missedHeartbeats)).isBefore(now);
    }
}
