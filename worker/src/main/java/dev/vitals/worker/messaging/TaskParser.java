package dev.vitals.worker.messaging;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.model.ValidationException;
import dev.vitals.model.json.JsonErrors;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.model.task.TaskIds;
import dev.vitals.model.task.TaskMessage;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Reads a delivery from {@code maintenance_tasks} into a task, or says precisely why it is not one.
 * Pure: it touches neither the broker nor the machine.
 */
public final class TaskParser {

    private final ObjectMapper json;

    public TaskParser(ObjectMapper json) {
        this.json = json;
    }

    /** What a delivery turned out to be. */
    public sealed interface Parsed permits Valid, Invalid {
    }

    /** A task the worker can run: its message, with a payload that passed validation. */
    public record Valid(TaskMessage task) implements Parsed {
    }

    /**
     * Not a task. {@code taskId} is set when the message still says which task it was meant to be
     * (from its body or its {@code message_id}), so that task can be marked failed.
     */
    public record Invalid(@Nullable UUID taskId, String reason) implements Parsed {
    }

    /**
     * @param body      the message body
     * @param messageId the AMQP {@code message_id}, which the contract sets to the task id; may be null
     */
    public Parsed parse(byte[] body, @Nullable String messageId) {
        UUID fallbackId = uuid(messageId).orElse(null);
        if (body.length > VitalsJson.MAX_MESSAGE_BYTES) {
            return new Invalid(fallbackId, "message body is " + body.length + " bytes; a task is at most "
                    + VitalsJson.MAX_MESSAGE_BYTES);
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JacksonException e) {
            return new Invalid(fallbackId, JsonErrors.describe(e, "body", "").getMessage());
        } catch (IOException e) {
            return new Invalid(fallbackId, "body: cannot be read: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            return new Invalid(fallbackId, "body: must be a JSON object with task_id, task_type and payload");
        }
        JsonNode idNode = tree.get("task_id");
        Optional<UUID> taskId = idNode != null && idNode.isTextual() ? uuid(idNode.textValue()) : Optional.empty();
        if (taskId.isEmpty()) {
            return new Invalid(fallbackId, "task_id: must be a UUID string, got " + abbreviate(idNode));
        }
        JsonNode type = tree.get("task_type");
        if (type == null || !TaskMessage.HEALTH_CHECK.equals(type.textValue())) {
            return new Invalid(taskId.get(), "task_type: unknown task type " + abbreviate(type)
                    + "; this worker runs '" + TaskMessage.HEALTH_CHECK + "'");
        }
        try {
            TaskMessage task = json.treeToValue(tree, TaskMessage.class);
            task.payloadOrDefault().validate();
            return new Valid(task);
        } catch (JacksonException e) {
            return new Invalid(taskId.get(), JsonErrors.describe(e, "body", "").getMessage());
        } catch (ValidationException e) {
            return new Invalid(taskId.get(), "payload." + e.getMessage());
        }
    }

    private static Optional<UUID> uuid(@Nullable String text) {
        return TaskIds.parse(text);
    }

    private static String abbreviate(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return "nothing";
        }
        String text = node.toString();
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
