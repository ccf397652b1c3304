package dev.vitals.api.store;

import dev.vitals.model.task.TaskStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which tasks {@link TaskStore#list} returns: every filter that is not null must match.
 *
 * @param status   only tasks in this status
 * @param workerId only tasks taken by this worker (the task's {@code worker_id})
 * @param since    only tasks created at or after this instant
 * @param schedule only tasks created by runs of the schedule of this name
 * @param limit    at most this many tasks, {@code 1} to {@value #MAX_LIMIT}
 * @param canaries canary tasks only ({@link StoredTask#canary()}); else every task but canaries
 */
public record TaskQuery(
        @Nullable TaskStatus status, @Nullable String workerId, @Nullable Instant since, @Nullable String schedule,
        int limit, boolean canaries) {

    /** How many tasks a listing returns when the caller does not say. */
    public static final int DEFAULT_LIMIT = 50;
    /** The most tasks one listing may return. */
    public static final int MAX_LIMIT = 1000;

    public TaskQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException(
                    "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }

    /** Tasks that are not canaries. */
    public TaskQuery(@Nullable TaskStatus status, @Nullable String workerId, @Nullable Instant since,
                     @Nullable String schedule, int limit) {
        this(status, workerId, since, schedule, limit, false);
    }

    /** Tasks of any schedule, or none, that are not canaries. */
    public TaskQuery(@Nullable TaskStatus status, @Nullable String workerId, @Nullable Instant since, int limit) {
        this(status, workerId, since, null, limit);
    }

    /** The newest {@code limit} tasks but canaries, whatever their status, worker, age or schedule. */
    public static TaskQuery newest(int limit) {
        return new TaskQuery(null, null, null, null, limit, false);
    }
}
