package dev.vitals.api.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
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
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores what workers report. Every API replica consumes the one durable queue (by default
 * {@code vitals.api.events}, a classic queue, bound to {@code vitals.events} with {@code task.*} and
 * {@code worker.heartbeat}) as a competing consumer, so each event is applied once by some replica, and none is lost while all
 * replicas are down. Heartbeats go to the worker registry in the store, which every replica reads.
 *
 * <ul>
 *   <li>{@code task.started} ({@link TaskStarted}): the task is running;</li>
 *   <li>{@code task.completed} (the report): the report is kept and the task completed;</li>
 *   <li>{@code task.failed} ({@link TaskFailed}): the task failed with the worker's reason.</li>
 * </ul>
 * A message is acknowledged only after the store took it (see {@link Acknowledger}).
 */
public final class EventConsumer implements BrokerClient {

    /** Unacknowledged events one replica holds at a time. */
    static final int PREFETCH = 32;

    private static final Logger log = LoggerFactory.getLogger(EventConsumer.class);

    private final String queue;
    private final String queueType;
    private final TaskUpdates updates;
    private final WorkerRegistry workers;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService scheduler;
    private volatile @Nullable Channel channel;

    /** @param queueType the type the queue is declared with, {@code classic} or {@code quorum} */
    public EventConsumer(String queue, String queueType, TaskUpdates updates, WorkerRegistry workers,
                         ObjectMapper mapper, ScheduledExecutorService scheduler) {
        this.queue = queue;
        this.queueType = queueType;
        this.updates = updates;
        this.workers = workers;
        this.mapper = mapper;
        this.scheduler = scheduler;
    }

    @Override
    public void start(BrokerConnection connection) throws IOException {
        channel = Acknowledger.consumeShared(connection, queue, queueType, Topology.EVENTS_EXCHANGE,
                List.of("task.*", EventType.WORKER_HEARTBEAT.routingKey()), PREFETCH, "vitals-api-events", this::handle,
                scheduler);
    }

    @Override
    public void stop() {
        Channels.close(channel);
        channel = null;
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

    void handle(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        EventType type = EventType.ofRoutingKey(envelope.getRoutingKey()).orElse(null);
        if (type == null) {
            log.debug("Ignoring event with routing key {}", envelope.getRoutingKey());
            return;
        }
        switch (type) {
            case TASK_STARTED -> {
                TaskStarted started = Messages.read(mapper, body, TaskStarted.class);
                if (started.taskId() == null || started.workerId() == null) {
                    throw new UnreadableMessageException("task.started without task_id or worker_id");
                }
                updates.started(Messages.logAs(started.taskId()), started.workerId(),
                        started.timestamp() == null ? java.time.Instant.now() : started.timestamp());
            }
            case TASK_COMPLETED -> {
                JsonNode report = Messages.tree(mapper, body);
                UUID taskId = Messages.logAs(Messages.requiredTaskId(report));
                String workerId = report.path("worker_id").asText(null);
                if (workerId == null) {
                    throw new UnreadableMessageException("task.completed without worker_id");
                }
                updates.reported(taskId, workerId, new String(body, StandardCharsets.UTF_8));
                HealthStatus.find(report.path("status").asText()).ifPresent(status -> workers.reported(workerId, status));
            }
            case TASK_FAILED -> {
                TaskFailed failed = Messages.read(mapper, body, TaskFailed.class);
                if (failed.taskId() == null) {
                    log.warn("Worker {} could not read a task message: {}", failed.workerId(), failed.reason());
                    return;
                }
                updates.failed(Messages.logAs(failed.taskId()), failed.reason() == null
                        ? "the worker gave no reason" : failed.reason());
            }
            case WORKER_HEARTBEAT -> workers.seen(checked(Messages.read(mapper, body, WorkerHeartbeat.class)));
        }
    }
}
