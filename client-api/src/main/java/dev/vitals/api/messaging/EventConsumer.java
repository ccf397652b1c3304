package dev.vitals.api.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import dev.vitals.api.task.HeldStarts;
import dev.vitals.api.task.TaskUpdates;
import dev.vitals.api.worker.WorkerRegistry;
import dev.vitals.broker.BrokerConnection;
import dev.vitals.broker.Topology;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.event.EventType;
import dev.vitals.model.event.TaskFailed;
import dev.vitals.model.event.TaskStarted;
import dev.vitals.model.event.WorkerHeartbeat;
import dev.vitals.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 *   <li>{@code task.started} ({@link TaskStarted}): the task is running; the start is {@link HeldStarts held}
 *       briefly, to be stored with the task's report;</li>
 *   <li>{@code task.completed} (the report): the report is kept and the task completed;</li>
 *   <li>{@code task.failed} ({@link TaskFailed}): the task failed with the worker's reason.</li>
 * </ul>
 * A message is acknowledged only after the store took it (see {@link Acknowledger}); a held start's message
 * with its report, or once stored on its own.
 *
 * <p>With tracing on, an event that carries a trace ({@code traceparent}, as workers send them for traced
 * tasks) is handled in a consumer span of that trace ({@code process vitals.api.events}); a report or failure
 * stored on another thread is stored in a child span of it ({@code apply task.completed}).
 */
public final class EventConsumer implements BrokerClient {

    /**
     * Unacknowledged events one replica holds at a time. Held starts count against it, one per task in a
     * worker's hands, so it leaves room for many: were it full of starts, the reports that release them
     * could not be delivered until each hold ran out.
     */
    static final int PREFETCH = 256;

    private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);

    private final String queue;
    private final String queueType;
    private final TaskUpdates updates;
    private final HeldStarts starts;
    private final WorkerRegistry workers;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService scheduler;
    private final Executor blocking;
    private final Tracing tracing;
    /** The work of each task's messages being stored on other threads, the latest last. */
    private final Map<UUID, CompletableFuture<Void>> storing = new ConcurrentHashMap<>();
    private volatile @Nullable Acknowledger acknowledger;

    /**
     * @param queueType the type the queue is declared with, {@code classic} or {@code quorum}
     * @param starts    where starts wait for their reports
     * @param blocking  where reports are stored, each on a thread of its own so that the store commits those
     *                  that arrive together at once (never the scheduler's threads)
     */
    public EventConsumer(String queue, String queueType, TaskUpdates updates, HeldStarts starts,
                         WorkerRegistry workers, ObjectMapper mapper, ScheduledExecutorService scheduler,
                         Executor blocking) {
        this(queue, queueType, updates, starts, workers, mapper, scheduler, blocking, Tracing.off());
    }

    /** As the constructor above, with a span for each traced event. */
    public EventConsumer(String queue, String queueType, TaskUpdates updates, HeldStarts starts,
                         WorkerRegistry workers, ObjectMapper mapper, ScheduledExecutorService scheduler,
                         Executor blocking, Tracing tracing) {
        this.tracing = tracing;
        this.queue = queue;
        this.queueType = queueType;
        this.updates = updates;
        this.starts = starts;
        this.workers = workers;
        this.mapper = mapper;
        this.scheduler = scheduler;
        this.blocking = blocking;
    }

    @Override
    public void start(BrokerConnection connection) throws IOException {
        acknowledger = Acknowledger.consumeShared(connection, queue, queueType, Topology.EVENTS_EXCHANGE,
                List.of("task.*", EventType.WORKER_HEARTBEAT.routingKey()), PREFETCH, "vitals-api-events", this::traced,
                scheduler);
    }

    @Override
    public void stop() {
        Acknowledger stopped = acknowledger;
        acknowledger = null;
        // Unacknowledged, the starts held go back to the queue with the channel.
        starts.clear();
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

    /** {@link #handle} in the consumer span of the trace the event carries, if it carries one. */
    private boolean traced(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        Span span = tracing.consumer(queue, envelope.getRoutingKey(), properties.getMessageId(),
                properties.getHeaders(), false);
        try (Scope ignored = tracing.makeCurrent(span)) {
            return handle(envelope, properties, body);
        } catch (RuntimeException e) {
            Tracing.failed(span, e);
            throw e;
        } finally {
            span.end();
        }
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
                starts.hold(started.taskId(), started.workerId(), at,
                        store -> current.settle(envelope.getDeliveryTag(), envelope.getRoutingKey(), store));
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
                HeldStarts.Start start = starts.take(taskId, workerId);
                String reportJson = new String(body, StandardCharsets.UTF_8);
                return settleAside(envelope, taskId, () -> {
                    starts.reported(Messages.logAs(taskId), workerId, reportJson, start);
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
                HeldStarts.Start start = failed.workerId() == null ? null
                        : starts.take(failed.taskId(), failed.workerId());
                return settleAside(envelope, failed.taskId(), () -> {
                    if (start != null) {
                        start.storeAlone();
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
        if (tracing.isOn()) {
            settle = tracing.wrap(inSpan("apply " + envelope.getRoutingKey(), taskId, settle));
        }
        Runnable settling = settle;
        try {
            CompletableFuture<Void> stored = storing.compute(taskId, (id, earlier) -> earlier == null
                    ? CompletableFuture.runAsync(settling, blocking)
                    : earlier.exceptionally(e -> null).thenRunAsync(settling, blocking));
            stored.whenComplete((done, failure) -> storing.remove(taskId, stored));
        } catch (RejectedExecutionException e) {
            log.debug("Shutting down; event {} is delivered again with the channel", envelope.getDeliveryTag());
        }
        return false;
    }

    /** Runs {@code work} in a span of the current trace, when there is one. */
    private Runnable inSpan(String name, UUID taskId, Runnable work) {
        return () -> {
            Span span = tracing.startInTrace(name, SpanKind.INTERNAL);
            if (span.isRecording()) {
                span.setAttribute("vitals.task.id", taskId.toString());
            }
            try (Scope ignored = span.makeCurrent()) {
                work.run();
            } finally {
                span.end();
            }
        };
    }
}
