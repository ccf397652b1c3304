package dev.vitals.worker.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.vitals.model.CheckStatus;
import dev.vitals.model.HealthReport;
import dev.vitals.model.event.TaskFailed;
import dev.vitals.model.event.TaskStarted;
import dev.vitals.model.task.TaskMessage;
import dev.vitals.tracing.Tracing;
import dev.vitals.worker.check.HealthCheck;
import dev.vitals.worker.health.WorkerHealth;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Takes tasks from {@code maintenance_tasks} and answers each one.
 *
 * <p>A valid task is announced ({@code task.started}), run, and reported ({@code task.completed}, plus
 * the {@code reply_to} queue when the message names one). A message that is not a valid task is moved
 * to the dead-letter exchange with the reason, and {@code task.failed} is published for the task it
 * names. Either way the delivery is acknowledged only once everything published for it was confirmed
 * by the broker; if a publish fails (refused, or not confirmed within the publisher's confirm timeout), the
 * delivery is handed back for another try, which the queue's delivery limit bounds.
 *
 * <p>{@link #handleDelivery} is the boundary of one unit of work: nothing a message contains can stop
 * the consumer. With tracing on, that unit is a consumer span ({@code process maintenance_tasks}), the child
 * of the trace the message's {@code traceparent} header carries (a trace of its own when it carries none),
 * current while the task runs, so that the events published for it carry the trace on; it ends once the
 * delivery is settled.
 */
public final class TaskConsumer extends DefaultConsumer {

    private static final Logger log = LoggerFactory.getLogger(TaskConsumer.class);
    private static final String TASK_ID = "task_id";
    private static final AttributeKey<String> TASK_ID_ATTRIBUTE = AttributeKey.stringKey("vitals.task.id");

    private final TaskParser parser;
    private final HealthCheck healthCheck;
    private final EventPublisher events;
    private final WorkerHealth health;
    private final InFlight inFlight = new InFlight();
    private final Clock clock;
    private final String workerId;
    private final String hostname;
    private final Tracing tracing;
    private final List<String> consumerTags = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean stopping;
    private volatile boolean cancelledByBroker;
    private final AtomicInteger publishFailures = new AtomicInteger();

    /** Longest hold of a delivery whose events the broker refused, see {@link #handBackDelay}. */
    static final Duration MOST_HAND_BACK_DELAY = Duration.ofSeconds(5);
    /** Hands deliveries back after their delay; one daemon thread for every consumer of the process. */
    private static final ScheduledExecutorService HAND_BACKS = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "vitals-hand-back");
        thread.setDaemon(true);
        return thread;
    });

    public TaskConsumer(Channel channel, TaskParser parser, HealthCheck healthCheck, EventPublisher events,
                        WorkerHealth health, Clock clock, String workerId, String hostname) {
        this(channel, parser, healthCheck, events, health, clock, workerId, hostname, Tracing.off());
    }

    /** As the constructor above, with a consumer span for each delivery. */
    public TaskConsumer(Channel channel, TaskParser parser, HealthCheck healthCheck, EventPublisher events,
                        WorkerHealth health, Clock clock, String workerId, String hostname, Tracing tracing) {
        super(channel);
        this.tracing = tracing;
        this.parser = parser;
        this.healthCheck = healthCheck;
        this.events = events;
        this.health = health;
        this.clock = clock;
        this.workerId = workerId;
        this.hostname = hostname;
    }

    /**
     * Starts consuming {@code queue} on this consumer's channel, with manual acknowledgement and the given prefetch:
     * the shared {@code maintenance_tasks}, or this worker's own queue (see {@link OwnQueue}). One consumer per
     * channel, so that losing one queue (a classic queue whose node is down) does not stop the other.
     */
    public void start(String queue, String consumerTag, int prefetch) throws IOException {
        getChannel().basicQos(prefetch);
        consumerTags.add(getChannel().basicConsume(queue, false, consumerTag, this));
    }

    /** True while the channel this consumer takes tasks on is open and the broker has not cancelled it. */
    public boolean isOpen() {
        return getChannel().isOpen() && !cancelledByBroker;
    }

    /** The broker cancelled the consumer: its queue was deleted, or its node went down. */
    @Override
    public void handleCancel(String consumerTag) {
        cancelledByBroker = true;
        log.warn("The broker cancelled consumer {} (its queue was deleted or is unavailable)", consumerTag);
    }

    /**
     * Stops taking new tasks and waits for the ones in hand to be acknowledged.
     *
     * @return true when every task in hand was finished within {@code timeout}
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        stopping = true;
        for (String tag : consumerTags) {
            if (getChannel().isOpen()) {
                try {
                    getChannel().basicCancel(tag);
                } catch (IOException | AlreadyClosedException e) {
                    log.debug("Consumer {} already cancelled: {}", tag, e.getMessage());
                }
            }
        }
        return inFlight.awaitNone(timeout);
    }

    @Override
    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        long deliveryTag = envelope.getDeliveryTag();
        if (stopping) {
            handBack(deliveryTag);
            return;
        }
        inFlight.add();
        Span span = tracing.consumer(envelope.getRoutingKey(), envelope.getRoutingKey(), properties.getMessageId(),
                properties.getHeaders(), true);
        try (Scope ignored = tracing.makeCurrent(span)) {
            CompletableFuture<Void> published = switch (parser.parse(body, properties.getMessageId())) {
                case TaskParser.Valid valid -> run(valid.task(), properties, envelope.isRedeliver(), span);
                case TaskParser.Invalid invalid -> refuse(invalid, properties, body);
            };
            published.whenComplete((done, failure) -> settle(deliveryTag, failure, span));
        } catch (RuntimeException e) {
            log.error("Could not handle a delivery; handing it back to the broker", e);
            settle(deliveryTag, e, span);
        } finally {
            MDC.remove(TASK_ID);
        }
    }

    private CompletableFuture<Void> run(TaskMessage task, AMQP.BasicProperties properties, boolean redelivered,
                                        Span span) {
        UUID taskId = task.taskId();
        String id = taskId.toString();
        MDC.put(TASK_ID, id);
        if (span.isRecording()) {
            span.setAttribute(TASK_ID_ATTRIBUTE, id);
        }
        if (redelivered) {
            // The API stores one report per task, so running it again is safe; the log shows why it came back.
            log.info("Task {} was delivered before (its worker may have died holding it); running it again",
                    taskId);
        }
        List<CompletableFuture<Void>> published = new ArrayList<>(3);
        published.add(events.started(new TaskStarted(taskId, workerId, hostname, clock.instant())));
        HealthReport report = healthCheck.run(taskId, task.payloadOrDefault());
        boolean allRead = report.checks().values().stream().noneMatch(c -> c.status() == CheckStatus.UNKNOWN);
        health.recordCheck(report.status(), allRead);
        published.add(events.completed(report));
        String replyTo = properties.getReplyTo();
        if (replyTo != null && !replyTo.isEmpty()) {
            String correlationId = properties.getCorrelationId() != null ? properties.getCorrelationId()
                    : properties.getMessageId() != null ? properties.getMessageId() : taskId.toString();
            published.add(events.reply(replyTo, correlationId, report));
        }
        log.info("Task {}: {} in {} ms", taskId, report.status().id(), report.durationMs());
        return CompletableFuture.allOf(published.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> refuse(TaskParser.Invalid invalid, AMQP.BasicProperties properties, byte[] body) {
        if (invalid.taskId() != null) {
            MDC.put(TASK_ID, invalid.taskId().toString());
        }
        log.warn("Refused a message that is not a valid task: {}", invalid.reason());
        health.recordRefused();
        CompletableFuture<Void> deadLettered = events.deadLetter(properties, body, invalid.reason());
        if (invalid.taskId() == null) {
            return deadLettered;
        }
        return CompletableFuture.allOf(deadLettered,
                events.failed(new TaskFailed(invalid.taskId(), workerId, hostname, invalid.reason(), clock.instant())));
    }

    private void settle(long deliveryTag, @Nullable Throwable failure, Span span) {
        if (failure != null) {
            Tracing.failed(span, failure);
        }
        span.end();
        if (failure == null) {
            publishFailures.set(0);
            settleNow(deliveryTag, true);
            return;
        }
        Duration delay = stopping ? Duration.ZERO : handBackDelay(publishFailures.incrementAndGet());
        log.warn("Publishing for delivery {} failed ({}); handing it back to the broker in {} ms", deliveryTag,
                failure.getMessage(), delay.toMillis());
        HAND_BACKS.schedule(() -> settleNow(deliveryTag, false), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * How long a delivery whose events the broker did not take is held before it goes back to the queue: 100 ms after
     * the first such failure in a row, doubling to 5 s. A broker that refuses for a while (a quorum queue electing a
     * new leader after its node died, a full queue) would otherwise get each task back at once and again, spending
     * the queue's delivery limit in a second and failing tasks that a few seconds' wait would have finished. The held
     * deliveries fill the prefetch, so the worker takes nothing new meanwhile.
     */
    static Duration handBackDelay(int failuresInARow) {
        long millis = 100L << Math.min(Math.max(failuresInARow - 1, 0), 6);
        return Duration.ofMillis(Math.min(millis, MOST_HAND_BACK_DELAY.toMillis()));
    }

    private void settleNow(long deliveryTag, boolean done) {
        try {
            if (done) {
                getChannel().basicAck(deliveryTag, false);
            } else {
                getChannel().basicNack(deliveryTag, false, true);
            }
        } catch (IOException | AlreadyClosedException e) {
            log.warn("Could not settle delivery {}: {}; the broker will redeliver it", deliveryTag, e.getMessage());
        } finally {
            inFlight.remove();
        }
    }

    /** Returns a delivery that arrived after stop() untouched, for another worker to take. */
    private void handBack(long deliveryTag) {
        try {
            getChannel().basicReject(deliveryTag, true);
        } catch (IOException | AlreadyClosedException e) {
            log.debug("Delivery {} goes back to the queue with the channel: {}", deliveryTag, e.getMessage());
        }
    }

    /** Counts deliveries taken but not yet settled, so shutdown can wait for them. */
    private static final class InFlight {
        private int count;

        synchronized void add() {
            count++;
        }

        synchronized void remove() {
            count--;
            if (count == 0) {
                notifyAll();
            }
        }

        synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
