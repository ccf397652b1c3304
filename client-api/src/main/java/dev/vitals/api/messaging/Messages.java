package dev.vitals.api.messaging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.model.task.TaskIds;
import java.io.IOException;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/** Reading what the API needs out of broker messages; every failure is an {@link UnreadableMessageException}. */
final class Messages {

    private Messages() {
    }

    static JsonNode tree(ObjectMapper mapper, byte[] body) {
        try {
            JsonNode tree = mapper.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw new UnreadableMessageException("the body is not a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw new UnreadableMessageException("the body is not JSON: " + e.getMessage(), e);
        }
    }

    /** What the API reads of a worker's report: the top-level {@code task_id}, {@code worker_id} and {@code status}. */
    record ReportFields(UUID taskId, @Nullable String workerId, @Nullable String status) {
    }

    /**
     * Reads a report's task, worker and status in one pass over its tokens, without building a tree: the
     * report is stored and served as received, so the rest of it is only checked to be one JSON object.
     *
     * @throws UnreadableMessageException when the body is not one JSON object of at most
     *                                    {@value VitalsJson#MAX_MESSAGE_BYTES} bytes, or has no {@code task_id} that is a UUID
     */
    static ReportFields reportFields(ObjectMapper mapper, byte[] body) {
        // Skipped values are not held to the parser's length limits, so the whole is: a report is a few KB.
        if (body.length > VitalsJson.MAX_MESSAGE_BYTES) {
            throw new UnreadableMessageException("the body is " + body.length + " bytes; a report is at most "
                    + VitalsJson.MAX_MESSAGE_BYTES);
        }
        String taskId = null;
        String workerId = null;
        String status = null;
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new UnreadableMessageException("the body is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                String text = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                switch (field) {
                    case "task_id" -> taskId = text;
                    case "worker_id" -> workerId = text;
                    case "status" -> status = text;
                    default -> {
                    }
                }
                parser.skipChildren(); // past a nested object or array; nothing for a scalar
            }
            if (parser.nextToken() != null) {
                throw new UnreadableMessageException("the body goes on after its JSON object");
            }
        } catch (IOException e) {
            throw new UnreadableMessageException("the body is not JSON: " + e.getMessage(), e);
        }
        return new ReportFields(requiredTaskId(taskId), workerId, status);
    }

    static <T> T read(ObjectMapper mapper, byte[] body, Class<T> type) {
        try {
            T value = mapper.readValue(body, type);
            if (value == null) {
                throw new UnreadableMessageException("the body is null");
            }
            return value;
        } catch (IOException e) {
            throw new UnreadableMessageException("the body is not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The task id of a task message: its {@code message_id}, else the {@code task_id} of its body. */
    static Optional<UUID> taskIdOf(ObjectMapper mapper, AMQP.BasicProperties properties, byte[] body) {
        Optional<UUID> fromProperty = TaskIds.parse(properties.getMessageId());
        if (fromProperty.isPresent()) {
            return fromProperty;
        }
        try {
            return TaskIds.parse(tree(mapper, body).path("task_id").asText(null));
        } catch (UnreadableMessageException e) {
            return Optional.empty();
        }
    }

    /**
     * The task id of a worker's event: its {@code correlation_id}, as workers set it, else the
     * {@code task_id} of its body, for events other publishers sent.
     *
     * @throws UnreadableMessageException when neither names a task
     */
    static UUID eventTaskId(ObjectMapper mapper, AMQP.BasicProperties properties, byte[] body) {
        return TaskIds.parse(properties.getCorrelationId()).orElseGet(() -> requiredTaskId(tree(mapper, body)));
    }

    static UUID requiredTaskId(JsonNode tree) {
        return requiredTaskId(tree.path("task_id").asText(null));
    }

    private static UUID requiredTaskId(@Nullable String taskId) {
        return TaskIds.parse(taskId).orElseThrow(() -> new UnreadableMessageException("no task_id that is a UUID"));
    }

    /** Puts the task id into the MDC for the log lines of this message; the boundary clears it. */
    static UUID logAs(UUID taskId) {
        MDC.put("task_id", taskId.toString());
        return taskId;
    }
}
