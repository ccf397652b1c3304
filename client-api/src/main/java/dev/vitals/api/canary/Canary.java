package dev.vitals.api.canary;

import dev.vitals.api.ApiConfig;
import dev.vitals.api.store.StoredTask;
import dev.vitals.api.task.TaskNotAcceptedException;
import dev.vitals.api.task.TaskService;
import dev.vitals.model.CheckName;
import dev.vitals.model.probe.ProbeReport.Component;
import dev.vitals.model.probe.ProbeStatus;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskRequest;
import dev.vitals.model.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves that tasks flow on this replica's whole path: every interval it submits a canary task (target {@code any},
 * the cheapest check) as a client's task is submitted, and waits up to the timeout for its report to be stored and
 * seen here. A broker that is connected says nothing of whether a worker consumes, reports, and whether those
 * reports are stored; a canary that comes back says all of it.
 *
 * <p>One canary at a time: the next is sent one interval after the previous was, or at once when the previous took
 * longer. While the broker is not connected none is sent (the pipeline is down, saying why) and the next try comes
 * after at most {@link #NOT_CONNECTED_RETRY}. What the pipeline's state is comes from the last canary that ended.
 */
public final class Canary implements AutoCloseable {

    /** How soon a canary is tried again when the broker was not connected. */
    static final Duration NOT_CONNECTED_RETRY = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(Canary.class);

    private final TaskService tasks;
    private final ApiConfig.Canary settings;
    private final CanaryObserver observer;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final TaskRequest request;
    private final String requestJson;
    private volatile Component state = Component.down("no canary has come back yet");
    private @Nullable ScheduledFuture<?> next;
    private boolean closed;

    /**
     * @param timer schedules the canaries; a canary's submission and its end run on the task service's threads
     */
    public Canary(TaskService tasks, ApiConfig.Canary settings, CanaryObserver observer, Clock clock,
                  ScheduledExecutorService timer) {
        this.tasks = tasks;
        this.settings = settings;
        this.observer = observer;
        this.clock = clock;
        this.timer = timer;
        int timeoutSeconds = (int) Math.max(1, (settings.timeout().toMillis() + 999) / 1000);
        this.request = new TaskRequest(Target.ANY, List.of(CheckName.THREADS), null, timeoutSeconds);
        this.requestJson = "{\"target\":\"any\",\"checks\":[\"" + CheckName.THREADS.id() + "\"],\"timeout_seconds\":"
                + timeoutSeconds + "}";
    }

    /** Sends the first canary now and the next ones every interval; does nothing when canaries are off. */
    public synchronized void start() {
        if (settings.enabled()) {
            schedule(Duration.ZERO);
        }
    }

    /**
     * The pipeline's state for {@code /health/ready}: up with the last round trip, or down saying why; empty when
     * canaries are off.
     */
    public java.util.Optional<Component> state() {
        return settings.enabled() ? java.util.Optional.of(state) : java.util.Optional.empty();
    }

    /** Whether readiness depends on the pipeline. */
    public boolean requiredForReady() {
        return settings.enabled() && settings.requiredForReady();
    }

    private synchronized void schedule(Duration delay) {
        if (closed) {
            return;
        }
        try {
            next = timer.schedule(this::send, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("No more canaries: shutting down");
        }
    }

    private void send() {
        long sent = System.nanoTime();
        CompletableFuture<StoredTask> ended;
        try {
            if (!tasks.isAccepting()) {
                state = Component.down("no canary sent: not connected to the message broker");
                schedule(min(settings.interval(), NOT_CONNECTED_RETRY));
                return;
            }
            ended = tasks.submitCanary(request, requestJson, settings.timeout());
        } catch (RuntimeException e) {
            ended(sent, null, e);
            return;
        }
        ended.whenComplete((task, failure) -> ended(sent, task, failure));
    }

    /** The canary ended one way or another: the state follows, and the next is scheduled. */
    private void ended(long sent, @Nullable StoredTask task, @Nullable Throwable failure) {
        Duration took = Duration.ofNanos(System.nanoTime() - sent);
        try {
            if (failure == null && task != null && task.status() == TaskStatus.COMPLETED
                    && took.compareTo(settings.timeout()) <= 0) {
                state = new Component(ProbeStatus.UP, "the last canary came back in " + millis(took) + " ms at "
                        + now() + " (worker " + task.workerId() + ")");
                observer.cameBack(took);
                log.debug("Canary {} came back in {} ms", task.taskId(), millis(took));
            } else {
                String why = why(task, failure);
                boolean wasUp = state.status() == ProbeStatus.UP;
                state = Component.down("the last canary, sent at " + now().minus(took) + ", " + why);
                observer.failed();
                if (wasUp) {
                    log.warn("Tasks do not flow: the canary {}", why);
                } else {
                    log.debug("Canary failed: {}", why);
                }
            }
        } finally {
            schedule(settings.interval().minus(took));
        }
    }

    private String why(@Nullable StoredTask task, @Nullable Throwable failure) {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof TaskNotAcceptedException) {
                return "was not accepted: " + cause.getMessage();
            }
            return "could not be followed: " + cause.getMessage();
        }
        if (task == null) {
            return "came back without its task";
        }
        String limit = "within " + settings.timeout().toMillis() + " ms";
        return switch (task.status()) {
            case QUEUED -> "did not come back " + limit + ": no worker took it";
            case RUNNING -> "did not come back " + limit + ": worker " + task.workerId() + " took it and has not"
                    + " reported";
            case COMPLETED -> "came back too late (after more than " + settings.timeout().toMillis() + " ms)";
            default -> task.status().id().toLowerCase(Locale.ROOT) + ": " + task.error();
        };
    }

    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private static String millis(Duration took) {
        return String.format(Locale.ROOT, "%.1f", took.toNanos() / 1e6);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Sends no more canaries; one in flight ends as it will, unobserved by readiness. */
    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
    }
}
