package dev.vitals.api.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Holds each {@code task.started} back for {@link #HOLD} before it is stored. A worker reports a health
 * check within a millisecond or two of starting it; when the report comes within the hold, the start is
 * stored with it in one update, which spares the store a write of every index on the task's status. A
 * start stored after its task ended (its report went to another replica) still records the start time.
 *
 * <p>Each start comes with the message that carried it; that message is settled once the start is stored,
 * alone or with its report. Starts still held when {@link #clear() cleared} are dropped unsettled: their
 * messages are delivered again.
 */
public final class HeldStarts {

    /** How long a start waits for its task's report before it is stored alone. */
    public static final Duration HOLD = Duration.ofMillis(50);

    /** Settles the message that carried a start: runs {@code store}, then acknowledges the message or not. */
    @FunctionalInterface
    public interface Message {
        void settle(BooleanSupplier store);
    }

    private final TaskUpdates updates;
    private final ScheduledExecutorService scheduler;
    private final Executor blocking;
    /** By task and worker: a task for target {@code all} has one start per worker. */
    private final Map<Key, Start> held = new ConcurrentHashMap<>();

    private record Key(UUID taskId, String workerId) {
    }

    /** A start not yet stored, the message that carried it, and the timer that ends its hold. */
    public final class Start {
        private final Key key;
        private final Instant at;
        private final Message message;
        private volatile @Nullable ScheduledFuture<?> release;

        private Start(Key key, Instant at, Message message) {
            this.key = key;
            this.at = at;
            this.message = message;
        }

        /** When the worker started the task. */
        public Instant at() {
            return at;
        }

        /** Stores this start on its own and settles its message as that goes. */
        public void storeAlone() {
            message.settle(() -> {
                updates.started(key.taskId(), key.workerId(), at);
                return true;
            });
        }

        /** Its report was stored with it: its message is done. */
        void storedWithReport() {
            message.settle(() -> true);
        }

        private void cancelTimer() {
            ScheduledFuture<?> timer = release;
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    /**
     * @param blocking where a start whose hold is over is stored (never the scheduler's threads)
     */
    public HeldStarts(TaskUpdates updates, ScheduledExecutorService scheduler, Executor blocking) {
        this.updates = updates;
        this.scheduler = scheduler;
        this.blocking = blocking;
    }

    /** Holds a worker's start of a task; stored alone after {@link #HOLD} unless {@link #take taken} first. */
    public void hold(UUID taskId, String workerId, Instant at, Message message) {
        Start start = new Start(new Key(taskId, workerId), at, message);
        Start replaced = held.put(start.key, start);
        if (replaced != null) {
            replaced.cancelTimer();
            replaced.storeAlone(); // the same start delivered again: the first is stored as it was
        }
        try {
            start.release = scheduler.schedule(() -> releaseAfterHold(start), HOLD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            held.remove(start.key, start); // shutting down: delivered again with its channel
        }
    }

    /**
     * Takes the held start of this task by this worker, when the task's report or failure arrives. Call it
     * on the thread that held the start, so that a start delivered before its report is found.
     *
     * @return the start, now the caller's to store; null when none is held
     */
    public @Nullable Start take(UUID taskId, String workerId) {
        Start start = held.remove(new Key(taskId, workerId));
        if (start != null) {
            start.cancelTimer();
        }
        return start;
    }

    /**
     * Stores a worker's report with its start, when one was taken: the start's message is then settled with
     * it. When the report cannot be stored, the start is stored on its own and the report's failure thrown.
     */
    public void reported(UUID taskId, String workerId, String reportJson, @Nullable Start start) {
        try {
            updates.reported(taskId, workerId, reportJson, start == null ? null : start.at);
        } catch (RuntimeException e) {
            if (start != null) {
                start.storeAlone();
            }
            throw e;
        }
        if (start != null) {
            start.storedWithReport();
        }
    }

    /** Drops every start held, unsettled: their messages go back to the queue with their channel. */
    public void clear() {
        held.values().forEach(Start::cancelTimer);
        held.clear();
    }

    /** Stores this start on its own, unless its report took it meanwhile. */
    private void releaseAfterHold(Start start) {
        try {
            blocking.execute(() -> {
                if (held.remove(start.key, start)) {
                    start.storeAlone();
                }
            });
        } catch (RejectedExecutionException e) {
            held.remove(start.key, start); // shutting down: delivered again with its channel
        }
    }
}
