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
 *   maintenance_tasks.worker.&lt;id&gt;   classic queue per worker, declared by that worker; tasks for it alone;
 *                            deleted a while after the worker stops consuming; dead-letters like the shared queue
 * </pre>
 */
public final class Topology {

    public static final String TASK_QUEUE = "maintenance_tasks";
    public static final String EVENTS_EXCHANGE = "vitals.events";
    public static final String DEAD_LETTER_EXCHANGE = "vitals.dead-letter";
    public static final String DEAD_LETTER_QUEUE = "maintenance_tasks.dead";

    /** Prefix of each worker's own queue, {@code maintenance_tasks.worker.<worker_id>}. */
    public static final String WORKER_QUEUE_PREFIX = TASK_QUEUE + ".worker.";

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

    /**
     * The queue of tasks for one worker alone (target = its id, or {@code all}). Publishers send to it
     * through the default exchange with the queue's name as routing key.
     */
    public static String workerQueue(String workerId) {
        return WORKER_QUEUE_PREFIX + workerId;
    }

    /**
     * The arguments of a worker's own queue: it disappears {@code expiresAfter} after its worker stopped
     * consuming it ({@code x-expires}), and what expires or is refused in it is dead-lettered like a task
     * of the shared queue.
     */
    public Map<String, Object> workerQueueArguments(java.time.Duration expiresAfter) {
        return Map.of(
                "x-queue-type", "classic",
                "x-expires", Math.toIntExact(expiresAfter.toMillis()),
                "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE,
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
