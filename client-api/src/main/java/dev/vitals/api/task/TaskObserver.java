package dev.vitals.api.task;

import dev.vitals.api.store.StoredTask;
import dev.vitals.model.task.TaskStatus;
import java.time.Instant;

/** Told when a task is accepted and when it ends: the seam that metrics hang on. Must be quick and not throw. */
public interface TaskObserver {

    /** Observes nothing. */
    TaskObserver NONE = new TaskObserver() {
        @Override
        public void submitted(StoredTask task) {
        }

        @Override
        public void ended(StoredTask task, TaskStatus status, Instant at) {
        }
    };

    /** The task was stored and the broker confirmed its message. */
    void submitted(StoredTask task);

    /**
     * This replica moved the task to a terminal status (each task ends on exactly one replica).
     *
     * @param task the task as it was before it ended (its {@code createdAt} and {@code target})
     */
    void ended(StoredTask task, TaskStatus status, Instant at);
}
