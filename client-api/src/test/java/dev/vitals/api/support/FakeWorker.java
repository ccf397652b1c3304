package dev.vitals.api.support;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.vitals.broker.BrokerSettings;
import dev.vitals.broker.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plays a worker with a plain AMQP client on the real broker: takes task messages from
 * {@code maintenance_tasks} and publishes the events a worker would.
 */
public final class FakeWorker {

    private final Channel channel;
    private final String workerId;

    /** How long a real worker's own queue outlives it by default ({@code vitals.worker.own-queue-expires}). */
    static final Duration OWN_QUEUE_EXPIRES = Duration.ofSeconds(60);

    /**
     * Declares the worker's own queue, so that targeted tasks reach it, with the arguments a real worker
     * declares it with under {@code broker} settings (a queue declared twice must have the same).
     */
    public FakeWorker(Connection connection, String workerId, BrokerSettings broker) throws IOException {
        this.channel = connection.createChannel();
        this.workerId = workerId;
        channel.queueDeclare(Topology.workerQueue(workerId), true, false, false,
                new Topology(broker).workerQueueArguments(OWN_QUEUE_EXPIRES));
    }

    /** The next message of the shared queue, else of this worker's own queue, else null. */
    private GetResponse next() throws IOException {
        GetResponse shared = channel.basicGet(Topology.TASK_QUEUE, false);
        return shared != null ? shared : channel.basicGet(Topology.workerQueue(workerId), false);
    }

    public String workerId() {
        return workerId;
    }

    /** Takes the task's message off the queue (acknowledging others found before it), waiting for it to come. */
    public GetResponse take(UUID taskId) {
        AtomicReference<GetResponse> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            GetResponse message = next();
            if (message == null) {
                return false;
            }
            if (taskId.toString().equals(message.getProps().getMessageId())) {
                found.set(message);
                return true;
            }
            channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
            return false;
        });
        return found.get();
    }

    /** Takes whatever task message comes next. */
    public GetResponse takeNext() {
        AtomicReference<GetResponse> found = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            found.set(next());
            return found.get() != null;
        });
        return found.get();
    }

    /** Drops every task message waiting. */
    public void purge() {
        try {
            channel.queuePurge(Topology.TASK_QUEUE);
            channel.queuePurge(Topology.workerQueue(workerId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void ack(GetResponse message) {
        try {
            channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void started(UUID taskId) {
        publish("task.started", "{\"task_id\": \"" + taskId + "\", \"worker_id\": \"" + workerId
                + "\", \"hostname\": \"fake-host\", \"timestamp\": \"2026-11-22T10:15:31.000Z\"}");
    }

    /** A report with unusual spacing and number forms, so that re-encoding it would show. */
    public String report(UUID taskId, String status) {
        return "{\"task_id\": \"" + taskId + "\",  \"worker_id\": \"" + workerId + "\", \"hostname\": \"fake-host\","
                + " \"timestamp\": \"2026-11-22T10:15:32.000Z\", \"duration_ms\": 2.40, \"status\": \"" + status
                + "\", \"checks\": {\"disk\": {\"status\": \"" + (status.equals("healthy") ? "ok" : status)
                + "\", \"percent_used\": 91.90, \"warning\": 90, \"error\": 95}}, \"uptime_seconds\": 86400}";
    }

    public void completed(String reportJson) {
        publish("task.completed", reportJson);
    }

    public void failed(UUID taskId, String reason) {
        publish("task.failed", "{\"task_id\": \"" + taskId + "\", \"worker_id\": \"" + workerId
                + "\", \"hostname\": \"fake-host\", \"reason\": \"" + reason
                + "\", \"timestamp\": \"2026-11-22T10:15:32.000Z\"}");
    }

    public void heartbeat() {
        publish("worker.heartbeat", "{\"worker_id\": \"" + workerId + "\", \"hostname\": \"fake-host\","
                + " \"version\": \"0.1.0\", \"started_at\": \"2026-11-22T10:00:00.000Z\","
                + " \"timestamp\": \"2026-11-22T10:15:30.000Z\", \"state\": \"healthy\", \"last_status\": \"healthy\"}");
    }

    /** Refuses the task as a worker does: republishes it to the dead-letter exchange with a reason, then acks it. */
    public void refuse(GetResponse message, String reason) {
        Map<String, Object> headers = new HashMap<>();
        if (message.getProps().getHeaders() != null) {
            headers.putAll(message.getProps().getHeaders());
        }
        headers.put(Topology.REASON_HEADER, reason);
        AMQP.BasicProperties properties = message.getProps().builder().headers(headers).expiration(null).build();
        try {
            channel.basicPublish(Topology.DEAD_LETTER_EXCHANGE, "", properties, message.getBody());
            channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void publish(String routingKey, String body) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2).build();
        try {
            channel.basicPublish(Topology.EVENTS_EXCHANGE, routingKey, properties, body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
