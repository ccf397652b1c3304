package dev.vitals.api.task;

import dev.vitals.api.store.StoredTask;
import dev.vitals.api.store.TaskStore;
import dev.vitals.api.worker.WorkerRegistry;
import dev.vitals.model.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends what would otherwise never end, and forgets what is old: every sweep interval it expires the tasks
 * past their deadline (waking this replica's waiters for them), and every {@link #PURGE_INTERVAL} it deletes
 * finished tasks older than the retention. Several replicas may sweep at once: the store expires each task
 * exactly once. A failing sweep is logged and the next one runs as planned.
 */
public final class ExpirySweeper implements AutoCloseable {

    /** The reason an overdue task is given. */
    public static final String OVERDUE_REASON =
            "no worker finished the task within its timeout (none took it, or the one that did never reported)";
    /** How often old tasks are deleted. */
    public static final Duration PURGE_INTERVAL = Duration.ofMinutes(5);
    /** Tasks expired per store call; a full batch is followed at once by another. */
    static final int BATCH = 500;

    private static final Logger log = LoggerFactory.getLogger(ExpirySweeper.class);

    private final TaskStore store;
    private final TaskWaiters waiters;
    private final TaskUpdates updates;
    private final WorkerRegistry workers;
    private final TaskObserver observer;
    private final Clock clock;
    private final Duration interval;
    private final Duration retention;
    private final ScheduledExecutorService scheduler;
    private @Nullable ScheduledFuture<?> schedule;
    private @Nullable Instant nextPurge;

    /**
     * @param updates ends overdue tasks for target {@code all} with the reports they have
     * @param workers forgets workers silent for longer than the retention
     * @param observer told of every task this sweep expires
     */
    public ExpirySweeper(TaskStore store, TaskWaiters waiters, TaskUpdates updates, WorkerRegistry workers,
            TaskObserver observer, Clock clock, Duration interval, Duration retention,
            ScheduledExecutorService scheduler) {
        this.store = store;
        this.waiters = waiters;
        this.updates = updates;
        this.workers = workers;
        this.observer = observer;
        this.clock = clock;
        this.interval = interval;
        this.retention = retention;
        this.scheduler = scheduler;
    }

    /** Sweeps every interval from now on. */
    public synchronized void start() {
        schedule = scheduler.scheduleWithFixedDelay(this::sweepAndLogFailures, 0, interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * One sweep: expires every overdue task, ends overdue tasks for target {@code all} with the reports
     * they have, and, when due, deletes old finished tasks and forgets long-silent workers.
     *
     * @return the ids of the tasks this sweep expired
     */
    public List<UUID> sweep() {
        Instant now = clock.instant();
        List<UUID> expiredAll = new java.util.ArrayList<>();
        List<UUID> expired;
        do {
            expired = store.expireOverdue(now, OVERDUE_REASON, BATCH);
            for (UUID taskId : expired) {
                log.info("Task {} expired: {}", taskId, OVERDUE_REASON);
                waiters.wake(taskId);
                store.find(taskId).ifPresent(task -> observer.ended(task, TaskStatus.EXPIRED, now));
            }
            expiredAll.addAll(expired);
        } while (expired.size() == BATCH);
        List<StoredTask> overdueForAll;
        do {
            overdueForAll = store.overdueForAll(now, BATCH);
            overdueForAll.forEach(updates::overdue);
        } while (overdueForAll.size() == BATCH);
        if (nextPurge == null || !now.isBefore(nextPurge)) {
            int deleted = store.deleteCompletedBefore(now.minus(retention));
            if (deleted > 0) {
                log.info("Deleted {} finished task(s) older than {}", deleted, retention);
            }
            int forgotten = workers.forgetSilentSince(now.minus(retention));
            if (forgotten > 0) {
                log.info("Forgot {} worker(s) silent for more than {}", forgotten, retention);
            }
            nextPurge = now.plus(PURGE_INTERVAL);
        }
        return expiredAll;
    }

    private void sweepAndLogFailures() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("Expiry sweep failed; next one in {} ms: {}", interval.toMillis(), e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }
}
