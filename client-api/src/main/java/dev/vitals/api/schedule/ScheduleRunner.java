package dev.vitals.api.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.schedule.ScheduleObserver.RunResult;
import dev.vitals.api.store.StoredTask;
import dev.vitals.api.task.TaskNotAcceptedException;
import dev.vitals.api.task.TaskService;
import dev.vitals.model.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the schedules that are due, on every replica at once, without a leader: each replica looks at the
 * schedules' next runs, sleeps until the earliest (at most {@code pollInterval}, so that schedules made or
 * changed by another replica are seen), and claims each due run in the store ({@link ScheduleStore#claim}, a
 * conditional update of its next run). The one replica whose claim changes the row runs it: creates its task
 * through {@link TaskService#submitScheduled} and records the task's id. A replica that dies holding a claim
 * loses that one run; the next is due one interval later and any replica takes it.
 *
 * <p>The next run is one interval after the claimed one (no drift), or one interval from now when the claimed
 * one was more than an interval late (missed runs are not made up in a burst): {@link Schedule#nextRun}. A
 * replica not connected to the broker claims nothing, leaving the run to one that is.
 *
 * <p>Failures stay inside: a run that cannot start is logged and counted as skipped, and a look at the store
 * that fails is logged (once per outage) and tried again after {@code pollInterval}; the loop never ends but by
 * {@link #close}.
 */
public final class ScheduleRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScheduleRunner.class);

    /** Schedules read per look; more due at once are taken by the next look, at once. */
    private static final int BATCH = 100;
    /** The shortest sleep between two looks, when runs are due or were just claimed by another replica. */
    private static final Duration SHORTEST_SLEEP = Duration.ofMillis(10);

    private final ScheduleStore store;
    private final TaskService tasks;
    private final ObjectMapper mapper;
    private final ScheduleObserver observer;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Executor blocking;
    private final Duration pollInterval;

    private @Nullable ScheduledFuture<?> next;
    private boolean closed;
    /** A look failed and was logged as a warning; the next one that succeeds says so. */
    private volatile boolean storeFailing;
    /** Runs were due while the broker was away, which was logged. */
    private volatile boolean brokerAway;

    /**
     * @param timer        wakes the runner; kept light
     * @param blocking     where the store is read and runs are started
     * @param pollInterval the longest sleep between two looks at the store
     */
    public ScheduleRunner(ScheduleStore store, TaskService tasks, ObjectMapper mapper, ScheduleObserver observer,
                          Clock clock, ScheduledExecutorService timer, Executor blocking, Duration pollInterval) {
        this.store = store;
        this.tasks = tasks;
        this.mapper = mapper;
        this.observer = observer;
        this.clock = clock;
        this.timer = timer;
        this.blocking = blocking;
        this.pollInterval = pollInterval;
    }

    /** Looks for due runs now and from then on. */
    public void start() {
        wakeAfter(Duration.ZERO);
    }

    private synchronized void wakeAfter(Duration delay) {
        if (closed) {
            return;
        }
        try {
            next = timer.schedule(this::lookOnBlockingThread, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Schedules: not looking again, the API is stopping");
        }
    }

    private void lookOnBlockingThread() {
        try {
            blocking.execute(this::lookAndSleep);
        } catch (RejectedExecutionException e) {
            log.debug("Schedules: not looking again, the API is stopping");
        }
    }

    private void lookAndSleep() {
        Duration sleep = pollInterval;
        try {
            sleep = look();
            if (storeFailing) {
                storeFailing = false;
                log.info("Schedules: the store answers again; due runs are claimed");
            }
        } catch (RuntimeException e) {
            if (!storeFailing) {
                storeFailing = true;
                log.warn("Schedules: cannot look for due runs ({}); trying again every {} ms", e.getMessage(),
                        pollInterval.toMillis());
            } else {
                log.debug("Schedules: still cannot look for due runs: {}", e.getMessage());
            }
        } finally {
            wakeAfter(sleep);
        }
    }

    /**
     * One look: claims and starts every due run it can.
     *
     * @return how long to sleep until the next look
     */
    Duration look() {
        Instant now = now();
        List<StoredSchedule> upcoming = store.nextRuns(BATCH);
        Instant wake = now.plus(pollInterval);
        boolean accepting = tasks.isAccepting();
        boolean anyMissed = false;
        for (StoredSchedule schedule : upcoming) {
            if (schedule.nextRunAt().isAfter(now)) {
                wake = earliest(wake, schedule.nextRunAt());
                break; // the rest come later still
            }
            if (!accepting) {
                // Said when a whole interval went by: a replica that just started connects well within one.
                anyMissed |= !schedule.nextRunAt().plus(schedule.schedule().interval()).isAfter(now);
                continue; // left to a replica connected to the broker
            }
            Instant nextRun = Schedule.nextRun(schedule.nextRunAt(), schedule.schedule().interval(), now);
            try {
                wake = earliest(wake, claimAndRun(schedule, now, nextRun) ? nextRun : now);
            } catch (RuntimeException e) {
                log.warn("Schedule '{}': cannot claim its run due at {}: {}", schedule.name(), schedule.nextRunAt(),
                        e.getMessage());
            }
        }
        if (anyMissed && !brokerAway) {
            brokerAway = true;
            log.warn("Schedules: runs are missed, as this replica is not connected to the message broker; it claims"
                    + " none until it is (another replica may), then runs each due schedule once and goes on from"
                    + " there");
        } else if (accepting && brokerAway) {
            brokerAway = false;
            log.info("Schedules: connected to the message broker again; due runs are claimed");
        }
        if (accepting && upcoming.size() == BATCH && !upcoming.getLast().nextRunAt().isAfter(now)) {
            wake = now; // more may be due beyond this batch
        }
        Duration sleep = Duration.between(now(), wake);
        return sleep.compareTo(SHORTEST_SLEEP) < 0 ? SHORTEST_SLEEP : sleep;
    }

    /**
     * Claims the run of {@code schedule} due at its next run and, when this replica won it, starts it.
     *
     * @return whether this replica claimed it
     */
    private boolean claimAndRun(StoredSchedule schedule, Instant now, Instant nextRun) {
        String name = schedule.name();
        Instant dueAt = schedule.nextRunAt();
        if (!store.claim(name, dueAt, nextRun, now)) {
            return false; // another replica claimed it, or it changed meanwhile
        }
        observer.claimed(name, Duration.between(dueAt, now));
        MDC.put("schedule", name);
        try {
            CompletableFuture<StoredTask> submitted = tasks.submitScheduled(schedule.schedule().request(),
                    schedule.schedule().taskRequestJson(mapper), name);
            submitted.whenComplete((task, failure) -> finishOnBlockingThread(name, dueAt, now, task, failure));
        } catch (TaskNotAcceptedException e) {
            skipped(name, dueAt, e.getMessage());
        } catch (RuntimeException e) {
            skipped(name, dueAt, e.getMessage());
            log.debug("Schedule '{}': why its run did not start", name, e);
        } finally {
            MDC.remove("schedule");
        }
        return true;
    }

    private void finishOnBlockingThread(String name, Instant dueAt, Instant runAt, @Nullable StoredTask task,
                                        @Nullable Throwable failure) {
        try {
            blocking.execute(() -> finish(name, dueAt, runAt, task, failure));
        } catch (RejectedExecutionException e) {
            log.debug("Schedule '{}': the API stops before the task of its run due at {} is recorded", name, dueAt);
        }
    }

    private void finish(String name, Instant dueAt, Instant runAt, @Nullable StoredTask task,
                        @Nullable Throwable failure) {
        MDC.put("schedule", name);
        try {
            if (failure != null || task == null) {
                Throwable cause = failure != null && failure.getCause() != null ? failure.getCause() : failure;
                skipped(name, dueAt, cause == null ? "no task" : cause.getMessage());
                return;
            }
            MDC.put("task_id", task.taskId().toString());
            if (task.status() == TaskStatus.FAILED) {
                log.warn("Schedule '{}': the run due at {} could not be carried out, task {} failed: {}", name, dueAt,
                        task.taskId(), task.error());
                observer.ran(name, RunResult.FAILED);
            } else {
                log.info("Schedule '{}': the run due at {} started task {} ({} ms late)", name, dueAt, task.taskId(),
                        Duration.between(dueAt, runAt).toMillis());
                observer.ran(name, RunResult.SUBMITTED);
            }
            store.recordTask(name, runAt, task.taskId());
        } catch (RuntimeException e) {
            log.warn("Schedule '{}': cannot record the task of its run due at {}: {}", name, dueAt, e.getMessage());
        } finally {
            MDC.remove("task_id");
            MDC.remove("schedule");
        }
    }

    private void skipped(String name, Instant dueAt, @Nullable String why) {
        log.warn("Schedule '{}': the run due at {} is skipped, no task was created: {}", name, dueAt, why);
        observer.ran(name, RunResult.SKIPPED);
    }

    /** Stops looking; a run already started finishes on its own. */
    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
