package dev.vitals.model.task;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The body of a task message on {@code maintenance_tasks}.
 *
 * @param taskId    the task's id; also the message's {@code message_id}
 * @param taskType  what to do; {@link #HEALTH_CHECK} is the only type there is
 * @param createdAt when the task was made
 * @param payload   the request as the caller gave it; {@link TaskRequest#DEFAULT} when absent
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskMessage(UUID taskId, String taskType, @Nullable Instant createdAt, @Nullable TaskRequest payload) {

    public static final String HEALTH_CHECK = "health_check";

    public TaskRequest payloadOrDefault() {
        return payload == null ? TaskRequest.DEFAULT : payload;
    }
}
