package dev.vitals.api.worker;

import dev.vitals.model.HealthStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A worker as {@code GET /api/v1/workers} shows it.
 *
 * @param lastSeen   when this API replica last heard its heartbeat
 * @param lastStatus the overall status of its latest report, if it made one
 * @param alive      heard from recently and not stopped
 */
public record WorkerInfo(
        String workerId,
        String hostname,
        String version,
        Instant startedAt,
        Instant lastSeen,
        @Nullable HealthStatus lastStatus,
        boolean alive) {
}
