package dev.vitals.api.messaging;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import dev.vitals.broker.BrokerConnection;
import dev.vitals.broker.ConfirmingPublisher;
import dev.vitals.broker.PublishRefusedException;
import dev.vitals.broker.Topology;
import dev.vitals.api.task.TaskQueue;
import dev.vitals.model.task.TaskMessage;
import dev.vitals.tracing.Tracing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Puts tasks on {@code maintenance_tasks} with publisher confirms. A task message is persistent,
 * {@code application/json}, has {@code message_id} = the task id and {@code type} = {@code health_check},
 * and expires after the task's timeout ({@code expiration}), so that the broker dead-letters it as
 * expired when no worker takes it in time.
 */
public final class TaskPublisher implements BrokerClient, TaskQueue {

    private final ObjectMapper mapper;
    private final Duration confirmTimeout;
    private final Tracing tracing;
    private volatile @Nullable ConfirmingPublisher publisher;
    private volatile @Nullable BrokerConnection connection;

    /**
     * @param mapper         the contract's JSON mapper
     * @param confirmTimeout how long a publish may wait for the broker's confirm
     *                       ({@code vitals.broker.publish-timeout})
     */
    public TaskPublisher(ObjectMapper mapper, Duration confirmTimeout) {
        this(mapper, confirmTimeout, Tracing.off());
    }

    /**
     * As the constructor above; a task published in a trace gets a producer span and carries its context in
     * its headers ({@code traceparent}), see {@link ConfirmingPublisher}.
     */
    public TaskPublisher(ObjectMapper mapper, Duration confirmTimeout, Tracing tracing) {
        this.tracing = tracing;
        this.mapper = mapper;
        this.confirmTimeout = confirmTimeout;
    }

    @Override
    public void start(BrokerConnection opened) throws IOException {
        publisher = new ConfirmingPublisher(opened.createChannel(), confirmTimeout, tracing);
        connection = opened;
    }

    @Override
    public void stop() {
        ConfirmingPublisher current = publisher;
        publisher = null;
        connection = null;
        if (current != null) {
            current.close();
        }
    }

    /** True when a publish can be tried now: connected and not stopped. */
    @Override
    public boolean isReady() {
        BrokerConnection current = connection;
        return publisher != null && current != null && current.isConnected();
    }

    /**
     * Publishes one task message, to the shared queue or to one worker's own queue.
     *
     * @param requestJson the request as the caller gave it (valid JSON), sent as the {@code payload}
     * @param timeout     the task's timeout, the message's {@code expiration}
     * @param workerId    the worker whose queue takes the message, or null for the shared queue
     * @return completes once the broker confirmed; fails with {@link PublishRefusedException} when the
     *         broker refused the message (queue full), the broker is not connected, or no confirm came
     *         within the confirm timeout, and with {@link dev.vitals.broker.UnroutableException} when the
     *         worker has no queue (any more)
     */
    @Override
    public CompletableFuture<Void> publish(UUID taskId, Instant createdAt, String requestJson, Duration timeout,
                                           @Nullable String workerId) {
        ConfirmingPublisher current = publisher;
        if (current == null || !isReady()) {
            return CompletableFuture.failedFuture(new PublishRefusedException("not connected to the broker"));
        }
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .messageId(taskId.toString())
                .type(TaskMessage.HEALTH_CHECK)
                .timestamp(Date.from(createdAt))
                .expiration(Long.toString(timeout.toMillis()))
                .build();
        byte[] body = body(taskId, createdAt, requestJson);
        return workerId == null
                ? current.publish("", Topology.TASK_QUEUE, properties, body)
                : current.publishMandatory("", Topology.workerQueue(workerId), properties, body);
    }

    /** The task message: its payload is the request exactly as the caller wrote it. */
    byte[] body(UUID taskId, Instant createdAt, String requestJson) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + requestJson.length());
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("task_id", taskId.toString());
            json.writeStringField("task_type", TaskMessage.HEALTH_CHECK);
            json.writeFieldName("created_at");
            mapper.writeValue(json, createdAt);
            json.writeFieldName("payload");
            json.writeRawValue(requestJson);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
