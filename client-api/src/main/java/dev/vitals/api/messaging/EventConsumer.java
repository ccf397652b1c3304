package dev.vitals.api.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import dev.vitals.api.task.TaskUpdates;
import dev.vitals.api.worker.WorkerRegistry;
import dev.vitals.broker.BrokerConnection;
import dev.vitals.broker.Topology;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.event.EventType;
import dev.vitals.model.event.TaskFailed;
import dev.vitals.model.event.TaskStarted;
import dev.vitals.model.event.WorkerHeartbeat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores what workers report. Every API replica consumes the one durable queue (by default
 * {@code vitals.api.events}, classic unless configured otherwise, bound to {@code vitals.events} with {@code task.*} and
 * {@code worker.heartbeat}) as a competing consumer, so each event is applied once by some replica, and none is lost while all
 * replicas are down. Heartbeats go to the worker registry in the store, which every replica reads.
 *
 * <ul>
 *   <li>{@code task.started} ({@link TaskStarted}): the task is running;</li>
 *   <li>{@code task.completed} (the report): the report is kept and the task completed;</li>
 *   <li>{@code task.failed} ({@link TaskFailed}): the task failed with the worker's reason.</li>
 * </ul>
 * A message is acknowledged only after the store took it (see {@link Acknowledger}).
 *
 * <p>A {@code task.started} is held back for {@link #START_HOLD} before it is stored: a worker reports
 * a health check within a millisecond or two of starting it, and when its {@code task.completed} comes
 * within the hold both are stored in one update (the start recorded with the completion), which spares the
 * store a write of every index on the task's status. A start held is acknowledged with its completion, or
 * once stored on its own; one held when the channel closes is delivered again, like any unacknowledged
 * message. A start stored after its task ended (its completion went to another replica) still records
 * the start time.
 */
public final class EventConsumer implements BrokerClient {

    /**
     * Unacknowledged events one replica holds at a time. Held starts count against it, one per task in a
     * worker's hands, so it leaves room for many: were it full of starts, the completions that release them
     * could not be delivered until each hold ran out.
     */
    static final int PREFETCH = 256;

    /** How long a {@code task.started} waits for its task's {@code task.completed} before it is stored alone. */
    public static final Duration START_HOLD = Duration.ofMillis(50);

    private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);

    private final String queue;
    private final String queueType;
    private final TaskUpdates updates;
    private final WorkerRegistry workers;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService scheduler;
    private final Executor blocking;
    /** Starts held back, by task and worker (a task for target {@code all} has one per worker). */
    private final Map<StartKey, HeldStart> held = new ConcurrentHashMap<>();
    /** The work of each task's messages being stored on other threads, the latest last. */
    private final Map<UUID, CompletableFuture<Void>> storing = new ConcurrentHashMap<>();
    private volatile @Nullable Acknowledger acknowledger;

    private record StartKey(UUID taskId, String workerId) {
    }

    /** A {@code task.started} not yet stored, how to settle its message, and the timer that ends its hold. */
    private static final class HeldStart {
        final Acknowledger acknowledger;
        final long tag;
        final String routingKey;
        final UUID taskId;
        final String workerId;
        final Instant at;
        private volatile @Nullable ScheduledFuture<?> release;

        HeldStart(Acknowledger acknowledger, long tag, String routingKey, UUID taskId, String workerId, Instant at) {
            this.acknowledger = acknowledger;
            this.tag = tag;
            this.routingKey = routingKey;
            this.taskId = taskId;
            this.workerId = workerId;
            this.at = at;
        }

        StartKey key() {
            return new StartKey(taskId, workerId);
        }

        /** Taken before its hold ran out: its timer has nothing left to do (and leaves the timer's queue). */
        void taken() {
            ScheduledFuture<?> timer = release;
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    /**
     * @param queueType the type the queue is declared with, {@code classic} or {@code quorum}
     * @param blocking  where reports are stored, each on a thread of its own so that the store commits those
     *                  that arrive together at once, and where a start held back is stored once its hold is
     *                  over (never the scheduler's threads)
     */
    public EventConsumer(String queue, String queueType, TaskUpdates updates, WorkerRegistry workers,
                         ObjectMapper mapper, ScheduledExecutorService scheduler, Executor blocking) {
        this.queue = queue;
        this.queueType = queueType;
        this.updates = updates;
        this.workers = workers;
        this.mapper = mapper;
        this.scheduler = scheduler;
        this.blocking = blocking;
    }

    @Override
    public void start(BrokerConnection connection) throws IOException {
        acknowledger = Acknowledger.consumeShared(connection, queue, queueType, Topology.EVENTS_EXCHANGE,
                List.of("task.*", EventType.WORKER_HEARTBEAT.routingKey()), PREFETCH, "vitals-api-events", this::handle,
                scheduler);
    }

    @Override
    public void stop() {
        Acknowledger stopped = acknowledger;
        acknowledger = null;
        // Unacknowledged, the starts held go back to the queue with the channel.
        held.clear();
        Channels.close(stopped == null ? null : stopped.getChannel());
    }

    /** A heartbeat the registry can store, or unreadable: any AMQP client can publish one. */
    private static WorkerHeartbeat checked(WorkerHeartbeat heartbeat) {
        if (!dev.vitals.model.task.Target.isWorkerId(heartbeat.workerId())) {
            throw new UnreadableMessageException("worker.heartbeat without a valid worker_id");
        }
        if (heartbeat.hostname() == null || heartbeat.hostname().isEmpty() || heartbeat.hostname().length() > 255
                || heartbeat.version() == null || heartbeat.version().length() > 64 || heartbeat.startedAt() == null
                || heartbeat.state() == null) {
            throw new UnreadableMessageException("worker.heartbeat of " + heartbeat.workerId()
                    + " needs hostname (at most 255 characters), version (at most 64), started_at and state");
        }
        return heartbeat;
    }

    /** @return false when the event is settled later: a start held back, or a report stored on another thread */
    boolean handle(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        EventType type = EventType.ofRoutingKey(envelope.getRoutingKey()).orElse(null);
        if (type == null) {
            log.debug("Ignoring event with routing key {}", envelope.getRoutingKey());
            return true;
        }
        switch (type) {
            case TASK_STARTED -> {
                TaskStarted started = Messages.read(mapper, body, TaskStarted.class);
                if (started.taskId() == null || started.workerId() == null) {
                    throw new UnreadableMessageException("task.started without task_id or worker_id");
                }
                Instant at = started.timestamp() == null ? Instant.now() : started.timestamp();
                Acknowledger current = acknowledger;
                if (current == null) { // not consuming (a delivery racing stop): stored at once
                    updates.started(Messages.logAs(started.taskId()), started.workerId(), at);
                    return true;
                }
                hold(new HeldStart(current, envelope.getDeliveryTag(), envelope.getRoutingKey(), started.taskId(),
                        started.workerId(), at));
                return false;
            }
            case TASK_COMPLETED -> {
                Messages.ReportFields report = Messages.reportFields(mapper, body);
                UUID taskId = report.taskId();
                String workerId = report.workerId();
                if (workerId == null) {
                    throw new UnreadableMessageException("task.completed without worker_id");
                }
                // Taken here, on the client's thread, where the task's start (delivered before it) was held.
                HeldStart start = held.remove(new StartKey(taskId, workerId));
                if (start != null) {
                    start.taken();
                }
                String reportJson = new String(body, StandardCharsets.UTF_8);
                return settleAside(envelope, taskId, () -> {
                    completed(Messages.logAs(taskId), workerId, reportJson, start);
                    if (report.status() != null) {
                        HealthStatus.find(report.status()).ifPresent(status -> workers.reported(workerId, status));
                    }
                    return true;
                });
            }
            case TASK_FAILED -> {
                TaskFailed failed = Messages.read(mapper, body, TaskFailed.class);
                if (failed.taskId() == null) {
                    log.warn("Worker {} could not read a task message: {}", failed.workerId(), failed.reason());
                    return true;
                }
                HeldStart start = failed.workerId() == null ? null
                        : held.remove(new StartKey(failed.taskId(), failed.workerId()));
                if (start != null) {
                    start.taken();
                }
                return settleAside(envelope, failed.taskId(), () -> {
                    if (start != null) {
                        store(start);
                    }
                    updates.failed(Messages.logAs(failed.taskId()), failed.reason() == null
                            ? "the worker gave no reason" : failed.reason());
                    return true;
                });
            }
            case WORKER_HEARTBEAT -> workers.seen(checked(Messages.read(mapper, body, WorkerHeartbeat.class)));
        }
        return true;
    }

    /**
     * Runs {@code work} for this message on a thread of its own and settles the message when it is done, so
     * that the client's thread goes on to the next delivery and the reports of several tasks reach the store
     * together. The work for one task runs after the work for that task's earlier messages (a report
     * delivered twice keeps the first; a failure after a report changes nothing). Not consuming (a delivery
     * racing stop): runs it here.
     *
     * @return false: the message is settled by that thread
     */
    private boolean settleAside(Envelope envelope, UUID taskId, BooleanSupplier work) {
        Acknowledger current = acknowledger;
        if (current == null) {
            return work.getAsBoolean();
        }
        Runnable settle = () -> current.settle(envelope.getDeliveryTag(), envelope.getRoutingKey(), work);
        try {
            CompletableFuture<Void> stored = storing.compute(taskId, (id, earlier) -> earlier == null
                    ? CompletableFuture.runAsync(settle, blocking)
                    : earlier.exceptionally(e -> null).thenRunAsync(settle, blocking));
            stored.whenComplete((done, failure) -> storing.remove(taskId, stored));
        } catch (RejectedExecutionException e) {
            log.debug("Shutting down; event {} is delivered again with the channel", envelope.getDeliveryTag());
        }
        return false;
    }

    private void hold(HeldStart start) {
        HeldStart replaced = held.put(start.key(), start);
        if (replaced != null) {
            replaced.taken();
            store(replaced); // the same start delivered again (redelivered): the first is stored as it was
        }
        try {
            start.release = scheduler.schedule(() -> releaseAfterHold(start), START_HOLD.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            held.remove(start.key(), start); // shutting down: delivered again with the channel
        }
    }

    /** Stores this start on its own, unless its completion took it meanwhile. */
    private void releaseAfterHold(HeldStart start) {
        try {
            blocking.execute(() -> {
                if (held.remove(start.key(), start)) {
                    store(start);
                }
            });
        } catch (RejectedExecutionException e) {
            held.remove(start.key(), start); // shutting down: delivered again with the channel
        }
    }

    private void store(HeldStart start) {
        start.acknowledger.settle(start.tag, start.routingKey, () -> {
            updates.started(Messages.logAs(start.taskId), start.workerId, start.at);
            return true;
        });
    }

    /**
     * Stores a report, with its task's start when that was held: the start's message is then acknowledged
     * with it. When the report cannot be stored, the start is stored on its own (and settled as that goes).
     */
    private void completed(UUID taskId, String workerId, String reportJson, @Nullable HeldStart start) {
        try {
            updates.reported(taskId, workerId, reportJson, start == null ? null : start.at);
        } catch (RuntimeException e) {
            if (start != null) {
                store(start);
            }
            throw e;
        }
        if (start != null) {
            start.acknowledger.settle(start.tag, start.routingKey, () -> true);
        }
    }
}
