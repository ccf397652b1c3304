package dev.vitals.api.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.vitals.broker.BrokerConnection;
import dev.vitals.broker.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at {@code maintenance_tasks} every few seconds (a passive declare): how many tasks wait, and how
 * many consumers (workers) take them. For readiness and metrics; unknown until the first look, and while
 * the broker is away.
 */
public final class QueueMonitor implements BrokerClient {

    private static final Logger log = LoggerFactory.getLogger(QueueMonitor.class);
    private static final long UNKNOWN = -1;

    private final ScheduledExecutorService scheduler;
    private final Duration interval;
    private final AtomicLong backlog = new AtomicLong(UNKNOWN);
    private final AtomicLong consumers = new AtomicLong(UNKNOWN);
    private volatile @Nullable Channel channel;
    private volatile @Nullable ScheduledFuture<?> schedule;

    public QueueMonitor(ScheduledExecutorService scheduler, Duration interval) {
        this.scheduler = scheduler;
        this.interval = interval;
    }

    @Override
    public void start(BrokerConnection connection) throws IOException {
        channel = connection.createChannel();
        look();
        schedule = scheduler.scheduleWithFixedDelay(this::look, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledFuture<?> current = schedule;
        if (current != null) {
            current.cancel(false);
        }
        Channels.close(channel);
        channel = null;
        backlog.set(UNKNOWN);
        consumers.set(UNKNOWN);
    }

    /** Tasks waiting in {@code maintenance_tasks} at the last look. */
    public OptionalLong backlog() {
        return known(backlog.get());
    }

    /** Consumers of {@code maintenance_tasks} (one per worker) at the last look. */
    public OptionalLong consumers() {
        return known(consumers.get());
    }

    private void look() {
        Channel current = channel;
        if (current == null || !current.isOpen()) {
            backlog.set(UNKNOWN);
            consumers.set(UNKNOWN);
            return;
        }
        try {
            AMQP.Queue.DeclareOk queue = current.queueDeclarePassive(Topology.TASK_QUEUE);
            backlog.set(queue.getMessageCount());
            consumers.set(queue.getConsumerCount());
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot look at {}: {}", Topology.TASK_QUEUE, e.getMessage());
            backlog.set(UNKNOWN);
            consumers.set(UNKNOWN);
        }
    }

    private static OptionalLong known(long value) {
        return value == UNKNOWN ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
