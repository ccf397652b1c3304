package dev.vitals.api.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Envelope;
import dev.vitals.api.task.TaskUpdates;
import dev.vitals.broker.BrokerConnection;
import dev.vitals.broker.Topology;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the tasks the broker or a worker gave up on. Every API replica consumes the one durable quorum
 * queue (by default {@code vitals.api.dead-letters}) bound to the fanout exchange {@code vitals.dead-letter}:
 *
 * <ul>
 *   <li>a header {@value Topology#REASON_HEADER} (a worker refused the task): failed with that reason;</li>
 *   <li>{@code x-death} reason {@code expired} (it waited longer than its timeout): expired;</li>
 *   <li>{@code delivery_limit} (taken and given back too often): failed, "delivery limit reached";</li>
 *   <li>any other reason: failed, naming it.</li>
 * </ul>
 * The task id is the message's {@code message_id}, else its body's {@code task_id}; a dead letter with
 * neither is not a task and is dropped.
 */
public final class DeadLetterConsumer implements BrokerClient {

    /** Unacknowledged dead letters one replica holds at a time. */
    static final int PREFETCH = 32;

    private static final Logger log = LoggerFactory.getLogger(DeadLetterConsumer.class);

    private final String queue;
    private final TaskUpdates updates;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService scheduler;
    private final int deliveryLimit;
    private volatile @Nullable Channel channel;

    /** @param deliveryLimit the task queue's {@code x-delivery-limit}, for the reason given */
    public DeadLetterConsumer(String queue, TaskUpdates updates, ObjectMapper mapper, ScheduledExecutorService scheduler,
            int deliveryLimit) {
        this.queue = queue;
        this.updates = updates;
        this.mapper = mapper;
        this.scheduler = scheduler;
        this.deliveryLimit = deliveryLimit;
    }

    @Override
    public void start(BrokerConnection connection) throws IOException {
        channel = Acknowledger.consumeShared(connection, queue, "quorum", Topology.DEAD_LETTER_EXCHANGE, List.of(""),
                PREFETCH, "vitals-api-dead-letters", (envelope, properties, body) -> {
                    handle(envelope, properties, body);
                    return true;
                }, scheduler).getChannel();
    }

    @Override
    public void stop() {
        Channels.close(channel);
        channel = null;
    }

    void handle(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        UUID taskId = Messages.taskIdOf(mapper, properties, body)
                .orElseThrow(() -> new UnreadableMessageException("a dead letter that names no task"));
        Messages.logAs(taskId);
        Map<String, Object> headers = properties.getHeaders() == null ? Map.of() : properties.getHeaders();
        Object refusal = headers.get(Topology.REASON_HEADER);
        if (refusal != null) {
            updates.failed(taskId, refusal.toString());
            return;
        }
        Map<?, ?> death = latestDeath(headers);
        String reason = death == null ? null : String.valueOf(death.get("reason"));
        if ("expired".equals(reason)) {
            updates.expired(taskId, "no worker took the task within " + timeoutOf(death, properties));
        } else if ("delivery_limit".equals(reason)) {
            updates.failed(taskId, "delivery limit reached: the task was handed to workers " + deliveryLimit
                    + " times without being finished");
        } else if (reason != null) {
            updates.failed(taskId, "the broker dead-lettered the task (" + reason + ")");
        } else {
            log.warn("Dead letter for task {} without a reason; failing it", taskId);
            updates.failed(taskId, "the task was dead-lettered without a reason");
        }
    }

    /** The newest {@code x-death} entry: the broker puts it first. */
    private static @Nullable Map<?, ?> latestDeath(Map<String, Object> headers) {
        if (headers.get("x-death") instanceof List<?> deaths && !deaths.isEmpty()
                && deaths.get(0) instanceof Map<?, ?> death) {
            return death;
        }
        return null;
    }

    private static String timeoutOf(Map<?, ?> death, AMQP.BasicProperties properties) {
        Object expiration = death.get("original-expiration");
        String millis = expiration != null ? expiration.toString() : properties.getExpiration();
        try {
            long ms = Long.parseLong(millis);
            return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
        } catch (NumberFormatException e) {
            return "its timeout";
        }
    }
}
