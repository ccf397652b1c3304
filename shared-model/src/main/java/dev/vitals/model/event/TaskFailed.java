package dev.vitals.model.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code task.failed}: a task could not be carried out.
 *
 * @param taskId   the task, when the message named one that could be read
 * @param workerId the worker that gave up on it
 * @param reason   why, for a person to read
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskFailed(@Nullable UUID taskId, String workerId, String hostname, String reason, Instant timestamp) {
}
