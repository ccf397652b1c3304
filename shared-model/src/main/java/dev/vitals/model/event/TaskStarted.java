package dev.vitals.model.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;

/** Body of {@code task.started}: a worker took a task. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskStarted(UUID taskId, String workerId, String hostname, Instant timestamp) {
}
