package dev.vitals.api.task;

import dev.vitals.api.store.StoredTask;
import dev.vitals.api.store.TaskStore;
import dev.vitals.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Callers waiting for tasks to end ({@code ?wait=N}) on this API replica, without a thread each and
 * without polling the store on a timer.
 *
 * <p>A waiter re-reads its task from the store when it is {@link #wake woken}: this replica heard that
 * the task may have ended (an event on its own queue, or its own sweeper expired it). The event can
 * arrive before the replica that stores it has done so, so a wake that finds the task unfinished is
 * followed by a few re-reads at growing intervals ({@value #RECHECKS} of them, 50 ms to 1.6 s). A waiter
 * is also woken when its task's deadline passes, and again one sweep interval later, in case another
 * replica's sweeper expired it (when that comes before the wait ends). When the wait ends the task is
 * read once more and returned as it is. When this replica ended the task itself, its waiters get the
 * task as it was stored, without a read: with tracing on, each in a span ({@code wake waiting request}) in the
 * trace of what ended the task, linked to the span of the request that waits.
 */
public final class TaskWaiters implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TaskWaiters.class);

    /** Re-reads after a wake that found the task unfinished. */
    static final int RECHECKS = 6;
    private static final long FIRST_RECHECK_MILLIS = 50;
    /** How long a {@link #hint} waits before re-reading. */
    static final long HINT_DELAY_MILLIS = 10;

    private final TaskStore store;
    private final ScheduledExecutorService timer;
    private final Executor reads;
    private final Clock clock;
    private final Duration sweepInterval;
    private final Tracing tracing;
    private final ConcurrentMap<UUID, Set<Waiter>> waiting = new ConcurrentHashMap<>();

    /**
     * @param timer         schedules the re-reads and the ends of waits; kept light
     * @param reads         runs the store reads (blocking JDBC)
     * @param sweepInterval how often the replicas' sweepers expire overdue tasks
     */
    public TaskWaiters(TaskStore store, ScheduledExecutorService timer, Executor reads, Clock clock,
            Duration sweepInterval) {
        this(store, timer, reads, clock, sweepInterval, Tracing.off());
    }

    /** As the constructor above, with a span for each wake of a waiting request by this replica. */
    public TaskWaiters(TaskStore store, ScheduledExecutorService timer, Executor reads, Clock clock,
            Duration sweepInterval, Tracing tracing) {
        this.tracing = tracing;
        this.store = store;
        this.timer = timer;
        this.reads = reads;
        this.clock = clock;
        this.sweepInterval = sweepInterval;
    }

    /**
     * Waits for a task to become terminal.
     *
     * @param max how long to wait at most; zero reads the task once
     * @return completes with the task as soon as it is terminal, or as it is after {@code max}; fails with
     *         {@link TaskNotFoundException} when there is no such task, or with the store's exception when
     *         the last read fails
     */
    public CompletableFuture<StoredTask> await(UUID taskId, Duration max) {
        if (max.isNegative() || max.isZero()) {
            Waiter waiter = new Waiter(taskId, clock.instant());
            check(waiter, Check.LAST);
            return waiter.future;
        }
        Waiter waiter = register(taskId, max);
        check(waiter, Check.FIRST);
        return waiter.future;
    }

    /**
     * Waits for a task this replica has just stored and not yet published, so that no read is needed to
     * begin with: nothing can have ended it before this call.
     *
     * @param task the task as it was stored
     * @return as {@link #await}; cancelling it (the task was not published after all) ends the wait
     */
    public CompletableFuture<StoredTask> awaitStored(StoredTask task, Duration max) {
        if (task.status().isTerminal() || max.isNegative() || max.isZero()) {
            return CompletableFuture.completedFuture(task);
        }
        Waiter waiter = register(task.taskId(), max);
        wakeAtDeadline(waiter, task);
        return waiter.future;
    }

    private Waiter register(UUID taskId, Duration max) {
        Waiter waiter = new Waiter(taskId, clock.instant().plus(max));
        if (tracing.isOn()) {
            waiter.requester = Span.current().getSpanContext();
        }
        waiting.computeIfAbsent(taskId, id -> ConcurrentHashMap.newKeySet()).add(waiter);
        ScheduledFuture<?> end = timer.schedule(() -> check(waiter, Check.LAST), max.toMillis(), TimeUnit.MILLISECONDS);
        waiter.future.whenComplete((task, failure) -> {
            end.cancel(false);
            waiting.computeIfPresent(taskId, (id, set) -> {
                set.remove(waiter);
                return set.isEmpty() ? null : set;
            });
        });
        return waiter;
    }

    /** The task may have ended: its waiters on this replica re-read it. Cheap when nobody waits for it. */
    public void wake(UUID taskId) {
        Set<Waiter> waiters = waiting.get(taskId);
        if (waiters != null) {
            for (Waiter waiter : waiters) {
                check(waiter, Check.afterWake(0));
            }
        }
    }

    /**
     * Another replica may have ended the task: its waiters here re-read it after {@value #HINT_DELAY_MILLIS} ms,
     * by which time this replica's own event consumer, if it took the event, has usually {@link #ended ended}
     * the wait without a read.
     */
    public void hint(UUID taskId) {
        Set<Waiter> waiters = waiting.get(taskId);
        if (waiters != null) {
            for (Waiter waiter : waiters) {
                schedule(waiter, Check.afterWake(0), HINT_DELAY_MILLIS);
            }
        }
    }

    /** This replica has just ended the task and stored it as {@code ended}: its waiters get it as it is. */
    public void ended(StoredTask ended) {
        Set<Waiter> waiters = waiting.get(ended.taskId());
        if (waiters != null) {
            for (Waiter waiter : waiters) {
                waiter.ending = true; // no read for it any more, even before its future completes
                try {
                    // Off the caller's thread: whatever waits on the future (an HTTP answer) must not hold it.
                    reads.execute(tracing.isOn() ? tracing.wrap(tracedWake(waiter, ended))
                            : () -> waiter.future.complete(ended));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    waiter.future.complete(ended);
                }
            }
        }
    }

    private Runnable tracedWake(Waiter waiter, StoredTask ended) {
        return () -> {
            Span span = tracing.startInTrace("wake waiting request", SpanKind.INTERNAL);
            if (span.isRecording()) {
                span.setAttribute("vitals.task.id", ended.taskId().toString());
                span.setAttribute("vitals.task.status", ended.status().id());
                if (waiter.requester.isValid()) {
                    span.addLink(waiter.requester);
                }
            }
            try (Scope ignored = span.makeCurrent()) {
                waiter.future.complete(ended);
            } finally {
                span.end();
            }
        };
    }

    /** How many callers wait now, for metrics and tests. */
    public int waiting() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    /** Ends every wait now with the task as it is: the replica is shutting down. */
    @Override
    public void close() {
        waiting.values().forEach(waiters -> waiters.forEach(waiter -> check(waiter, Check.LAST)));
    }

    private void check(Waiter waiter, Check kind) {
        if (waiter.future.isDone() || waiter.ending) {
            return;
        }
        try {
            reads.execute(() -> read(waiter, kind));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            waiter.future.completeExceptionally(e);
        }
    }

    private void read(Waiter waiter, Check kind) {
        if (waiter.future.isDone() || waiter.ending) {
            return;
        }
        Optional<StoredTask> found;
        try {
            found = store.find(waiter.taskId);
        } catch (RuntimeException e) {
            if (kind == Check.LAST) {
                waiter.future.completeExceptionally(e);
            } else {
                log.debug("Cannot re-read task {} for a waiter: {}", waiter.taskId, e.getMessage());
            }
            return;
        }
        if (found.isEmpty()) {
            waiter.future.completeExceptionally(new TaskNotFoundException(waiter.taskId));
            return;
        }
        StoredTask task = found.get();
        if (kind == Check.LAST || task.status().isTerminal()) {
            waiter.future.complete(task);
            return;
        }
        if (kind == Check.FIRST) {
            wakeAtDeadline(waiter, task);
        } else if (kind.attempt < RECHECKS) {
            schedule(waiter, Check.afterWake(kind.attempt + 1), FIRST_RECHECK_MILLIS << kind.attempt);
        }
    }

    /**
     * At the task's deadline, and again once a sweeper (maybe another replica's) has had time to expire it;
     * not after the wait ends, which reads the task anyway.
     */
    private void wakeAtDeadline(Waiter waiter, StoredTask task) {
        wakeAt(waiter, task.deadline());
        wakeAt(waiter, task.deadline().plus(sweepInterval).plusMillis(FIRST_RECHECK_MILLIS));
    }

    private void wakeAt(Waiter waiter, Instant when) {
        if (when.isBefore(waiter.until)) {
            schedule(waiter, Check.afterWake(0), Math.max(0, Duration.between(clock.instant(), when).toMillis()));
        }
    }

    private void schedule(Waiter waiter, Check kind, long delayMillis) {
        try {
            ScheduledFuture<?> scheduled = timer.schedule(() -> check(waiter, kind), delayMillis, TimeUnit.MILLISECONDS);
            waiter.future.whenComplete((task, failure) -> scheduled.cancel(false));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("Not re-reading task {}: shutting down", waiter.taskId);
        }
    }

    /** Why a waiter reads its task: the first read, a re-read after a wake (and which), or the last read. */
    private record Check(int attempt) {
        static final Check FIRST = new Check(-1);
        static final Check LAST = new Check(-2);

        static Check afterWake(int attempt) {
            return new Check(attempt);
        }
    }

    private static final class Waiter {
        final UUID taskId;
        /** When the wait ends: the task is read then, whatever happened before. */
        final Instant until;
        final CompletableFuture<StoredTask> future = new CompletableFuture<>();
        /** Set once this replica ended the task: the future is about to complete with it, without a read. */
        volatile boolean ending;
        /** The span of the request that waits, with tracing on. */
        SpanContext requester = SpanContext.getInvalid();

        Waiter(UUID taskId, Instant until) {
            this.taskId = taskId;
            this.until = until;
        }
    }
}
