package dev.vitals.model.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.vitals.model.HealthStatus;
import java.time.Instant;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code worker.heartbeat}, sent every few seconds while a worker runs, and once more with
 * {@link WorkerState#STOPPED} when it stops cleanly.
 *
 * @param lastStatus the overall status of the worker's latest report, if it made one
 * @param heartbeatIntervalSeconds how often the worker sends heartbeats, so receivers can tell when it went
 *                                 silent; absent from older workers
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkerHeartbeat(
        String workerId,
        String hostname,
        String version,
        Instant startedAt,
        Instant timestamp,
        WorkerState state,
        @Nullable HealthStatus lastStatus,
        @Nullable Double heartbeatIntervalSeconds) {

    /** A worker's own state, as its {@code /health} endpoint reports it. */
    public enum WorkerState {
        STARTING, HEALTHY, DEGRADED, STOPPED;

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static WorkerState of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }
}
