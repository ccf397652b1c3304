package dev.vitals.broker;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The queues and exchanges every Vitals process declares, always with the same arguments, so that
 * processes can start in any order. The README lists these arguments for AMQP clients of other kinds.
 *
 * <p>Of a queue's arguments only its type is required as declared; its limits (dead-lettering, delivery limit,
 * length, overflow, expiry) are what a policy can also set, and a queue that exists with other limits is used as it
 * is (see {@link BrokerConnection#declare(List)}).
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

    private static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");

    private final BrokerSettings settings;

    public Topology(BrokerSettings settings) {
        this.settings = settings;
    }

    /**
     * The limits of {@code maintenance_tasks}: dead-lettering, delivery limit, length and overflow. Declared as
     * arguments of a new queue, or left to a policy ({@link BrokerSettings.QueueLimits}).
     */
    public Map<String, Object> taskQueueLimits() {
        return Map.of(
                "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE,
                "x-delivery-limit", settings.taskDeliveryLimit(),
                "x-max-length", settings.taskQueueMaxLength(),
                "x-overflow", "reject-publish");
    }

    /** The limits of {@code maintenance_tasks.dead}, as for {@link #taskQueueLimits()}. */
    public Map<String, Object> deadLetterQueueLimits() {
        return Map.of("x-max-length", DEAD_LETTER_QUEUE_MAX_LENGTH);
    }

    /** {@code maintenance_tasks}: a quorum queue, with its limits unless they are left to a policy. */
    public Declaration.Queue taskQueue() {
        return new Declaration.Queue(TASK_QUEUE, QUORUM, limitsAsArguments() ? taskQueueLimits() : Map.of());
    }

    /** {@code maintenance_tasks.dead}: a quorum queue, with its limit unless it is left to a policy. */
    public Declaration.Queue deadLetterQueue() {
        return new Declaration.Queue(DEAD_LETTER_QUEUE, QUORUM, limitsAsArguments() ? deadLetterQueueLimits() : Map.of());
    }

    /** The arguments of a new {@code maintenance_tasks}. */
    public Map<String, Object> taskQueueArguments() {
        return taskQueue().arguments();
    }

    private boolean limitsAsArguments() {
        return settings.queueLimits() == BrokerSettings.QueueLimits.ARGUMENTS;
    }

    /** True when the shared queues' limits are left to policies ({@code vitals.broker.queue-limits = policy}). */
    public boolean limitsLeftToPolicies() {
        return !limitsAsArguments();
    }

    /**
     * The queue of tasks for one worker alone (target = its id, or {@code all}). Publishers send to it
     * through the default exchange with the queue's name as routing key.
     */
    public static String workerQueue(String workerId) {
        return WORKER_QUEUE_PREFIX + workerId;
    }

    /** The type of a worker's own queue. */
    public enum WorkerQueueType {
        /** On the node the worker is connected to: cheapest, but unusable while that node is down. */
        CLASSIC,
        /** Replicated on the cluster's nodes, as {@code maintenance_tasks}: outlives the loss of a node. */
        QUORUM
    }

    /**
     * A worker's own queue, classic: see {@link #workerQueueDeclaration(String, Duration, WorkerQueueType)}.
     */
    public Declaration.Queue workerQueueDeclaration(String workerId, Duration expiresAfter) {
        return workerQueueDeclaration(workerId, expiresAfter, WorkerQueueType.CLASSIC);
    }

    /**
     * A worker's own queue, of type {@code type}; it disappears {@code expiresAfter} after its worker stopped
     * consuming it ({@code x-expires}), and what expires or is refused in it is dead-lettered like a task of the
     * shared queue. These limits are always arguments: the queue lives as long as its worker, so a new value applies
     * from the worker's next start with a new id.
     */
    public Declaration.Queue workerQueueDeclaration(String workerId, Duration expiresAfter, WorkerQueueType type) {
        return new Declaration.Queue(workerQueue(workerId),
                Map.of("x-queue-type", type.name().toLowerCase(java.util.Locale.ROOT)), Map.of(
                "x-expires", Math.toIntExact(expiresAfter.toMillis()),
                "x-dead-letter-exchange", DEAD_LETTER_EXCHANGE,
                "x-max-length", settings.taskQueueMaxLength(),
                "x-overflow", "reject-publish"));
    }

    /** The arguments of a new worker's own queue, see {@link #workerQueueDeclaration(String, Duration)}. */
    public Map<String, Object> workerQueueArguments(Duration expiresAfter) {
        return workerQueueDeclaration("any", expiresAfter).arguments();
    }

    /** The shared topology, in the order it is declared. */
    public List<Declaration> declarations() {
        return List.of(
                new Declaration.Exchange(EVENTS_EXCHANGE, BuiltinExchangeType.TOPIC),
                new Declaration.Exchange(DEAD_LETTER_EXCHANGE, BuiltinExchangeType.FANOUT),
                deadLetterQueue(),
                new Declaration.Binding(DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, ""),
                taskQueue());
    }

    /**
     * The commands that give the shared queues their limits as policies, for {@code vitals.broker.queue-limits =
     * policy}: {@code rabbitmqctl set_policy -p VHOST vitals-maintenance_tasks '^maintenance_tasks$' '{…}' --apply-to queues}.
     */
    public List<String> policyCommands() {
        return List.of(
                TopologyAdvice.policyCommand(settings.vhost(), TASK_QUEUE, taskQueueLimits()),
                TopologyAdvice.policyCommand(settings.vhost(), DEAD_LETTER_QUEUE, deadLetterQueueLimits()));
    }

    /**
     * Declares the shared topology exactly as {@link #declarations()} says, on one channel: a queue that exists
     * with other arguments closes the channel (406). For tests and plain clients; Vitals' processes declare through
     * {@link BrokerConnection#declare(List)}, which tells what differs and uses such queues as they are.
     */
    public void declare(Channel channel) throws IOException {
        for (Declaration declaration : declarations()) {
            declareOn(channel, declaration, null);
        }
    }

    /** Declares one thing on {@code channel}, a queue with {@code arguments} instead of its own when given. */
    static void declareOn(Channel channel, Declaration declaration, @Nullable Map<String, Object> arguments)
            throws IOException {
        switch (declaration) {
            case Declaration.Exchange exchange -> channel.exchangeDeclare(exchange.name(), exchange.type(), true);
            case Declaration.Queue queue -> channel.queueDeclare(queue.name(), true, false, false,
                    arguments != null ? arguments : queue.arguments());
            case Declaration.Binding binding -> channel.queueBind(binding.queue(), binding.exchange(), binding.routingKey());
        }
    }
}
