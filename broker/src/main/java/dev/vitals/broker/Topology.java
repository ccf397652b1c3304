package dev.vitals.broker;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;

/**
 * The queues and exchanges every Vitals process declares, always with the same arguments, so that
 * processes can start in any order. The README lists these arguments for AMQP clients of other kinds.
 *
 * <pre>
 *   maintenance_tasks        quorum queue; tasks; dead-letters to vitals.dead-letter
 *   vitals.dead-letter       fanout exchange; tasks that expired, were refused or failed too often
 *   maintenance_tasks.dead   quorum queue bound to vitals.dead-letter, for people to inspect
 *   vitals.events            topic exchange; task.started, task.completed, task.failed, worker.heartbeat
 * </pre>
 */
public final class Topology {

    public static final String TASK_QUEUE = "maintenance_tasks";
    public static final String EVENTS_EXCHANGE = "vitals.events";
    public static final String DEAD_LETTER_EXCHANGE = "vitals.dead-letter";
    public static final String DEAD_LETTER_QUEUE = "maintenance_tasks.dead";

    /** Header a worker puts on a message it dead-letters itself, saying why it refused it. */
    public static final String REASON_HEADER = "x-vitals-reason";

    /** Most dead letters kept for inspection; the oldest are dropped past it. */
    static final int DEAD_LETTER_QUEUE_MAX_LENGTH = 10_000;

    private final BrokerSettings settings;

    public Topology(BrokerSettings settings) {
        this.settings = settings;
    }

    /** The arguments of {@code maintenance_tasks}. */
    public Map<String, Object> taskQueueArguments() {
        return Map.of(
                "x-queue-type", "quorum",
                "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE,
                "x-delivery-limit", settings.taskDeliveryLimit(),
                "x-max-length", settings.taskQueueMaxLength(),
                "x-overflow", "reject-publish");
    }

    /** Declares the shared topology; idempotent, and safe to call from any process at any time. */
    public void declare(Channel channel) throws IOException {
        channel.exchangeDeclare(EVENTS_EXCHANGE, BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare(DEAD_LETTER_EXCHANGE, BuiltinExchangeType.FANOUT, true);
        channel.queueDeclare(DEAD_LETTER_QUEUE, true, false, false, Map.of(
                "x-queue-type", "quorum",
                "x-max-length", DEAD_LETTER_QUEUE_MAX_LENGTH));
        channel.queueBind(DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, "");
        channel.queueDeclare(TASK_QUEUE, true, false, false, taskQueueArguments());
    }
}
