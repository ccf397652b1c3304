package dev.vitals.worker.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import dev.vitals.broker.ConfirmingPublisher;
import dev.vitals.broker.Topology;
import dev.vitals.model.HealthReport;
import dev.vitals.model.event.EventType;
import dev.vitals.model.event.TaskFailed;
import dev.vitals.model.event.TaskStarted;
import dev.vitals.model.event.WorkerHeartbeat;
import java.io.UncheckedIOException;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Everything a worker publishes: events on {@code vitals.events}, reports to {@code reply_to} queues,
 * and refused messages to the dead-letter exchange. Each call returns a future that completes when the
 * broker has confirmed the message.
 */
public final class EventPublisher {

    private static final String JSON = "application/json";
    private static final int PERSISTENT = 2;

    private final ConfirmingPublisher publisher;
    private final ObjectMapper json;
    private final String workerId;

    public EventPublisher(ConfirmingPublisher publisher, ObjectMapper json, String workerId) {
        this.publisher = publisher;
        this.json = json;
        this.workerId = workerId;
    }

    public CompletableFuture<Void> started(TaskStarted event) {
        return event(EventType.TASK_STARTED, event.taskId(), event);
    }

    public CompletableFuture<Void> completed(HealthReport report) {
        return event(EventType.TASK_COMPLETED, report.taskId(), report);
    }

    public CompletableFuture<Void> failed(TaskFailed event) {
        return event(EventType.TASK_FAILED, event.taskId(), event);
    }

    public CompletableFuture<Void> heartbeat(WorkerHeartbeat heartbeat) {
        return event(EventType.WORKER_HEARTBEAT, null, heartbeat);
    }

    /**
     * Sends a report to the queue a task named in {@code reply_to}, through the default exchange.
     *
     * @param correlationId the task message's {@code correlation_id}, or its {@code message_id} when it had none
     */
    public CompletableFuture<Void> reply(String replyTo, String correlationId, HealthReport report) {
        AMQP.BasicProperties properties = properties(EventType.TASK_COMPLETED.routingKey(), correlationId);
        return publish("", replyTo, properties, report);
    }

    /**
     * Moves a message the worker refuses to the dead-letter exchange, unchanged but for a header with
     * the reason, so that a person can see why it was refused.
     */
    public CompletableFuture<Void> deadLetter(AMQP.BasicProperties original, byte[] body, String reason) {
        Map<String, Object> headers = original.getHeaders() == null ? new HashMap<>() : new HashMap<>(original.getHeaders());
        headers.put(Topology.REASON_HEADER, reason);
        headers.put("x-vitals-worker", workerId);
        AMQP.BasicProperties properties = original.builder().headers(headers).deliveryMode(PERSISTENT)
                .expiration(null).build();
        return publisher.publish(Topology.DEAD_LETTER_EXCHANGE, Topology.TASK_QUEUE, properties, body);
    }

    private CompletableFuture<Void> event(EventType type, @Nullable UUID taskId, Object body) {
        return publish(Topology.EVENTS_EXCHANGE, type.routingKey(),
                properties(type.routingKey(), taskId == null ? null : taskId.toString()), body);
    }

    private CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
                                            Object body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot encode " + body.getClass().getSimpleName(), e);
        }
        return publisher.publish(exchange, routingKey, properties, bytes);
    }

    private AMQP.BasicProperties properties(String type, @Nullable String correlationId) {
        return new AMQP.BasicProperties.Builder()
                .contentType(JSON)
                .deliveryMode(PERSISTENT)
                .type(type)
                .correlationId(correlationId)
                .appId("vitals-worker")
                .timestamp(new Date())
                .headers(Map.of("worker_id", workerId))
                .build();
    }
}
