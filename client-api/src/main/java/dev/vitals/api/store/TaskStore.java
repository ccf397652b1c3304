package dev.vitals.api.store;

import dev.vitals.model.task.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where the API keeps its tasks, shared by every API replica.
 *
 * <p>Every change of state is conditional and idempotent: it happens only from the statuses it names,
 * and answers whether it changed anything. Several replicas may apply the same event, an event may be
 * delivered twice and events may arrive out of order; the first change that applies wins and the others
 * answer {@code false}. A terminal task ({@link TaskStatus#isTerminal()}) never changes status again.
 *
 * <p>Times are kept at millisecond precision (truncated). Every method throws
 * {@link StoreUnavailableException} when the database cannot be used.
 */
public interface TaskStore {

    /**
     * Stores a new task.
     *
     * @param task a {@link TaskStatus#QUEUED queued} task whose expected workers are worker ids
     *             (not blank, no commas)
     * @throws IllegalArgumentException when the task is not queued or an expected worker id cannot be stored
     * @throws IllegalStateException    when a task with this id is already stored
     */
    void insert(StoredTask task);

    /**
     * Stores a task that a worker reported on although the store did not hold it (another AMQP client
     * published it, or its row was lost), completed with that report. Does nothing when a task with this
     * id is stored meanwhile.
     *
     * @param task a {@link TaskStatus#COMPLETED completed} task with its worker and result
     * @return whether it was stored
     * @throws IllegalArgumentException when the task is not completed by a worker
     */
    boolean insertReported(StoredTask task);

    /** The task with this id, or empty when there is none (never was, or deleted). */
    Optional<StoredTask> find(UUID taskId);

    /** The tasks that match the query, newest ({@link StoredTask#createdAt()}) first. */
    List<StoredTask> list(TaskQuery query);

    /**
     * Records that a worker took the task: {@code queued} becomes {@code running}, with its worker and
     * start time. Does nothing for a task in any other status, or for no task.
     *
     * @return whether the task changed
     */
    boolean markRunning(UUID taskId, String workerId, Instant startedAt);

    /**
     * Records when a task that is no longer {@code queued} was started, if no start is recorded yet: its
     * {@code task.started} was stored after its end (another replica stored the completion first).
     *
     * @return whether the task changed
     */
    boolean recordLateStart(UUID taskId, Instant startedAt);

    /**
     * Keeps one worker's report for a task of target {@code all}, once (a task one worker runs keeps its
     * report as its result): a second report from the same worker for the same task
     * is not stored. Reports are kept whatever the task's status; a report for a task the store does not
     * hold is not stored.
     *
     * @param reportJson the report as received, stored as it is
     * @return whether the report was stored
     */
    boolean addReport(UUID taskId, String workerId, Instant receivedAt, String reportJson);

    /** The reports stored for a task, in the order they were stored; empty for an unknown task. */
    List<String> reports(UUID taskId);

    /**
     * Completes a {@code queued} or {@code running} task with its result. Does nothing for a terminal
     * task, or for no task.
     *
     * @param workerId   the worker that produced the result; null keeps the worker already recorded
     *                   (as for target {@code all}, where the result combines several reports)
     * @param startedAt  when the worker started the task, kept only when no start is recorded yet (its
     *                   {@code task.started} was not applied on its own); null keeps what is recorded
     * @param resultJson the result, stored as it is and served without re-encoding
     * @return whether the task changed
     */
    boolean complete(UUID taskId, @Nullable String workerId, @Nullable Instant startedAt, Instant completedAt,
                     String resultJson);

    /**
     * Completes a {@code queued} or {@code running} task that one worker runs (any target but {@code all})
     * with that worker's report, and reads it back in the same step. Does nothing for a terminal task, a
     * task for target {@code all} (see {@link #complete}), or no task.
     *
     * @param startedAt  as for {@link #complete}
     * @param reportJson the report, kept as the task's result as it is
     * @return the task as it is stored now, when it changed
     */
    Optional<StoredTask> completeByWorker(UUID taskId, String workerId, @Nullable Instant startedAt,
                                          Instant completedAt, String reportJson);

    /**
     * Fails a {@code queued} or {@code running} task: the check itself could not be carried out. Does
     * nothing for a terminal task, or for no task.
     *
     * @param at     when it failed; becomes the task's {@code completedAt}
     * @param reason why; becomes the task's {@code error}
     * @return whether the task changed
     */
    boolean fail(UUID taskId, Instant at, String reason);

    /**
     * Expires one {@code queued} or {@code running} task whatever its deadline, as when the broker reports
     * that its message expired unconsumed. Does nothing for a terminal task, or for no task.
     *
     * @param at     when it expired; becomes the task's {@code completedAt}
     * @param reason why; becomes the task's {@code error}
     * @return whether the task changed
     */
    boolean expire(UUID taskId, Instant at, String reason);

    /**
     * Expires up to {@code max} tasks that are still {@code queued} or {@code running} and whose deadline
     * is at or before {@code now}, earliest deadline first; tasks for target {@code all} are left to
     * {@link #overdueForAll}, because they end with the reports they have. Safe to run from several replicas at once:
     * each task is expired by exactly one call, which alone returns its id.
     *
     * @param now    the time to judge deadlines by; becomes each task's {@code completedAt}
     * @param reason becomes each task's {@code error}
     * @param max    at most this many tasks, at least 1; call again while a full batch comes back
     * @return the ids of the tasks this call expired
     */
    List<UUID> expireOverdue(Instant now, String reason, int max);

    /**
     * Tasks for target {@code all} that are still {@code queued} or {@code running} although their deadline
     * is at or before {@code now}, earliest deadline first: each is to be completed with the reports it has,
     * or failed when it has none (with {@link #complete} or {@link #fail}, which only one caller wins).
     */
    List<StoredTask> overdueForAll(Instant now, int max);

    /**
     * Retention: deletes the terminal tasks created before {@code cutoff}, with their reports. Tasks that
     * are not terminal are kept whatever their age; the expiry sweep ends them first.
     *
     * @return how many tasks were deleted
     */
    int deleteCompletedBefore(Instant cutoff);

    /**
     * Deletes one task and its reports, whatever its status: undoes an {@link #insert} whose task could
     * not be published.
     *
     * @return whether there was such a task
     */
    boolean delete(UUID taskId);

    /**
     * Checks cheaply that the store can be used, for readiness.
     *
     * @throws StoreUnavailableException saying why it cannot
     */
    void ping();
}
