package dev.vitals.api.store;

import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One task as the store keeps it. Times are kept at millisecond precision: what comes back from the
 * store is what went in, truncated to milliseconds.
 *
 * @param taskId          the task's id
 * @param taskType        what to do; {@code health_check} is the only type there is
 * @param target          {@code any}, {@code all} or a worker id
 * @param status          where the task is in its life
 * @param requestJson     the request body as the caller gave it ({@code "{}"} when there was none)
 * @param createdAt       when the task was accepted
 * @param deadline        when the task expires if it is not terminal by then
 * @param startedAt       when a worker took it; null until one did
 * @param completedAt     when it became terminal (completed, failed or expired); null until then
 * @param workerId        the worker that took it (for target {@code all}, the first to start); null until one did
 * @param resultJson      the result as received (a report, or the combined reports for target {@code all}),
 *                        to be served as it is; null until completed
 * @param error           why the task failed or expired; null otherwise
 * @param expectedWorkers for target {@code all}, the workers that were alive when it was created; empty otherwise
 * @param schedule        the name of the schedule whose run created it; null for a task asked for on demand
 * @param traceId         the trace of the request that created it (32 hex digits), when tracing was on and
 *                        the trace sampled; null otherwise
 * @param canary          whether it is a canary an API replica sent to prove that tasks flow; canaries are left out
 *                        of listings, the history, the event stream and alerts
 */
public record StoredTask(
        UUID taskId,
        String taskType,
        Target target,
        TaskStatus status,
        String requestJson,
        Instant createdAt,
        Instant deadline,
        @Nullable Instant startedAt,
        @Nullable Instant completedAt,
        @Nullable String workerId,
        @Nullable String resultJson,
        @Nullable String error,
        List<String> expectedWorkers,
        @Nullable String schedule,
        @Nullable String traceId,
        boolean canary) {

    public StoredTask {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(taskType, "taskType");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(requestJson, "requestJson");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(deadline, "deadline");
        expectedWorkers = List.copyOf(expectedWorkers);
    }

    /** A new task, {@link TaskStatus#QUEUED queued}, as {@link TaskStore#insert} takes it. */
    public static StoredTask queued(UUID taskId, String taskType, Target target, String requestJson,
            Instant createdAt, Instant deadline, List<String> expectedWorkers) {
        return new StoredTask(taskId, taskType, target, TaskStatus.QUEUED, requestJson, createdAt, deadline,
                null, null, null, null, null, expectedWorkers, null, null, false);
    }

    /** This task as created by a run of the named schedule. */
    public StoredTask scheduledBy(String scheduleName) {
        return new StoredTask(taskId, taskType, target, status, requestJson, createdAt, deadline, startedAt,
                completedAt, workerId, resultJson, error, expectedWorkers, Objects.requireNonNull(scheduleName), traceId,
                canary);
    }

    /** This task as created in the trace with this id; as it is when {@code id} is null. */
    public StoredTask tracedAs(@Nullable String id) {
        return id == null ? this : new StoredTask(taskId, taskType, target, status, requestJson, createdAt, deadline,
                startedAt, completedAt, workerId, resultJson, error, expectedWorkers, schedule, id, canary);
    }

    /** This task as a canary ({@link #canary()}). */
    public StoredTask asCanary() {
        return new StoredTask(taskId, taskType, target, status, requestJson, createdAt, deadline, startedAt,
                completedAt, workerId, resultJson, error, expectedWorkers, schedule, traceId, true);
    }

    /** This task as {@link TaskStore#fail} or {@link TaskStore#expire} leaves it, given it was not terminal. */
    public StoredTask endedWithError(TaskStatus ended, Instant at, String reason) {
        return new StoredTask(taskId, taskType, target, ended, requestJson, createdAt, deadline, startedAt, at,
                workerId, null, reason, expectedWorkers, schedule, traceId, canary);
    }
}
