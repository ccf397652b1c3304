package dev.vitals.api.stream;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A task that ended, as the stream tells it: enough to know which task and how it ended, not its report (the
 * task's own URL has that).
 *
 * @param workerId the worker that took it, if one did
 * @param schedule the schedule that created it; null on demand
 */
public record TaskEnd(UUID taskId, String status, String target, @Nullable String workerId, @Nullable String schedule,
                      Instant completedAt) {
}
