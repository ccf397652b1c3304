package dev.vitals.api.store;

import static dev.vitals.api.store.StoreSql.instant;
import static dev.vitals.api.store.StoreSql.setInstant;
import static dev.vitals.model.task.Target.MAX_WORKER_ID_LENGTH;

import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskStore} over plain JDBC, for PostgreSQL and for H2 in PostgreSQL mode, with the schema of
 * {@code db/migration} (applied by {@link Database}).
 *
 * <p>Every change is a single conditional statement (a status test in its {@code WHERE}), so concurrent
 * callers cannot both win. The changes of a task's life (insert, start, end) made by concurrent callers
 * are committed together ({@link GroupCommit}); reads and the sweeps use a pooled connection of their own
 * in auto-commit. Expected workers are kept as one text column, the ids joined by commas.
 */
public final class JdbcTaskStore implements TaskStore {

    private static final String COLUMNS = "task_id, task_type, target, status, request_json, created_at, deadline,"
            + " started_at, completed_at, worker_id, result_json, error, expected_workers, schedule, trace_id, canary";
    private static final String NOT_TERMINAL = "status IN ('queued', 'running')";
    private static final String TERMINAL = "status IN ('completed', 'failed', 'expired')";
    private static final String NOT_FOR_ALL = "target <> 'all'";
    private static final int PING_TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;
    private final GroupCommit writes;

    /** @param dataSource connections to a database migrated by {@link Database} */
    public JdbcTaskStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.writes = new GroupCommit(dataSource);
    }

    @Override
    public void insert(StoredTask task) {
        if (task.status() != TaskStatus.QUEUED) {
            throw new IllegalArgumentException("a new task must be queued, task " + task.taskId() + " is "
                    + task.status().id());
        }
        for (String worker : task.expectedWorkers()) {
            requireWorkerId(worker, "expected worker");
        }
        try {
            insertRow(task, "");
        } catch (IllegalArgumentException e) {
            if (StoreSql.isUniqueViolation(e)) {
                throw new IllegalStateException("task " + task.taskId() + " is already stored", e);
            }
            throw e;
        }
    }

    @Override
    public boolean insertReported(StoredTask task) {
        if (task.status() != TaskStatus.COMPLETED || task.workerId() == null) {
            throw new IllegalArgumentException("a reported task must be completed by a worker, task "
                    + task.taskId() + " is " + task.status().id());
        }
        requireWorkerId(task.workerId(), "worker");
        return insertRow(task, " ON CONFLICT DO NOTHING") == 1;
    }

    private int insertRow(StoredTask task, String onConflict) {
        String sql = "INSERT INTO tasks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + onConflict;
        return update("store task " + task.taskId(), sql, statement -> {
            statement.setObject(1, task.taskId());
            statement.setString(2, task.taskType());
            statement.setString(3, task.target().value());
            statement.setString(4, task.status().id());
            statement.setString(5, task.requestJson());
            setInstant(statement, 6, task.createdAt());
            setInstant(statement, 7, task.deadline());
            setInstant(statement, 8, task.startedAt());
            setInstant(statement, 9, task.completedAt());
            statement.setString(10, task.workerId());
            statement.setString(11, task.resultJson());
            statement.setString(12, task.error());
            statement.setString(13, String.join(",", task.expectedWorkers()));
            statement.setString(14, task.schedule());
            statement.setString(15, task.traceId());
            statement.setBoolean(16, task.canary());
        });
    }

    @Override
    public Optional<StoredTask> find(UUID taskId) {
        return run("read task " + taskId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM tasks WHERE task_id = ?")) {
                statement.setObject(1, taskId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(task(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<StoredTask> list(TaskQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM tasks WHERE canary = ?");
        if (query.status() != null) {
            sql.append(" AND status = ?");
        }
        if (query.workerId() != null) {
            sql.append(" AND worker_id = ?");
        }
        if (query.since() != null) {
            sql.append(" AND created_at >= ?");
        }
        if (query.schedule() != null) {
            sql.append(" AND schedule = ?");
        }
        sql.append(" ORDER BY created_at DESC, task_id DESC LIMIT ?");
        return run("list tasks", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int index = 1;
                statement.setBoolean(index++, query.canaries());
                if (query.status() != null) {
                    statement.setString(index++, query.status().id());
                }
                if (query.workerId() != null) {
                    statement.setString(index++, query.workerId());
                }
                if (query.since() != null) {
                    setInstant(statement, index++, query.since());
                }
                if (query.schedule() != null) {
                    statement.setString(index++, query.schedule());
                }
                statement.setInt(index, query.limit());
                return StoreSql.rows(statement, JdbcTaskStore::task);
            }
        });
    }

    @Override
    public boolean markRunning(UUID taskId, String workerId, Instant startedAt) {
        requireWorkerId(workerId, "worker");
        return update("mark task " + taskId + " running",
                "UPDATE tasks SET status = 'running', worker_id = ?, started_at = ?"
                        + " WHERE task_id = ? AND status = 'queued'",
                statement -> {
                    statement.setString(1, workerId);
                    setInstant(statement, 2, startedAt);
                    statement.setObject(3, taskId);
                }) == 1;
    }

    @Override
    public boolean recordLateStart(UUID taskId, Instant startedAt) {
        return update("record the start of task " + taskId,
                "UPDATE tasks SET started_at = ? WHERE task_id = ? AND started_at IS NULL AND status <> 'queued'",
                statement -> {
                    setInstant(statement, 1, startedAt);
                    statement.setObject(2, taskId);
                }) == 1;
    }

    @Override
    public boolean addReport(UUID taskId, String workerId, Instant receivedAt, String reportJson) {
        requireWorkerId(workerId, "worker");
        // Selecting from tasks stores nothing for an unknown task (instead of breaking the foreign key);
        // the primary key keeps one report per worker, and ON CONFLICT turns a repeat into a no-op.
        // A unique violation can still come from two racing inserts of one report: the other one won.
        try {
            return update("store the report of " + workerId + " for task " + taskId,
                    "INSERT INTO task_reports (task_id, worker_id, received_at, report_json)"
                            + " SELECT task_id, ?, ?, ? FROM tasks WHERE task_id = ?"
                            + " ON CONFLICT DO NOTHING",
                    statement -> {
                        statement.setString(1, workerId);
                        setInstant(statement, 2, receivedAt);
                        statement.setString(3, reportJson);
                        statement.setObject(4, taskId);
                    }) == 1;
        } catch (IllegalArgumentException e) {
            if (StoreSql.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public List<String> reports(UUID taskId) {
        return run("read the reports for task " + taskId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT report_json FROM task_reports WHERE task_id = ? ORDER BY arrival")) {
                statement.setObject(1, taskId);
                return StoreSql.rows(statement, rows -> rows.getString(1));
            }
        });
    }

    @Override
    public boolean complete(UUID taskId, @Nullable String workerId, @Nullable Instant startedAt, Instant completedAt,
                            String resultJson) {
        if (workerId != null) {
            requireWorkerId(workerId, "worker");
        }
        return update("complete task " + taskId,
                "UPDATE tasks SET status = 'completed', completed_at = ?, result_json = ?,"
                        + " worker_id = COALESCE(?, worker_id), started_at = COALESCE(started_at, ?)"
                        + " WHERE task_id = ? AND " + NOT_TERMINAL,
                statement -> {
                    setInstant(statement, 1, completedAt);
                    statement.setString(2, resultJson);
                    statement.setString(3, workerId);
                    setInstant(statement, 4, startedAt);
                    statement.setObject(5, taskId);
                }) == 1;
    }

    @Override
    public Optional<StoredTask> completeByWorker(UUID taskId, String workerId, @Nullable Instant startedAt,
                                                 Instant completedAt, String reportJson) {
        requireWorkerId(workerId, "worker");
        String update = "UPDATE tasks SET status = 'completed', completed_at = ?, result_json = ?, worker_id = ?,"
                + " started_at = COALESCE(started_at, ?)"
                + " WHERE task_id = ? AND " + NOT_TERMINAL + " AND " + NOT_FOR_ALL;
        return writes.run("complete task " + taskId, connection -> {
            // The task as the update left it, in the same statement: PostgreSQL returns it, H2 reads it
            // from the update's final table.
            String sql = StoreSql.isPostgres(connection)
                    ? update + " RETURNING " + COLUMNS
                    : "SELECT " + COLUMNS + " FROM FINAL TABLE (" + update + ")";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                setInstant(statement, 1, completedAt);
                statement.setString(2, reportJson);
                statement.setString(3, workerId);
                setInstant(statement, 4, startedAt);
                statement.setObject(5, taskId);
                List<StoredTask> completed = StoreSql.rows(statement, JdbcTaskStore::task);
                return completed.stream().findFirst();
            }
        });
    }

    @Override
    public boolean fail(UUID taskId, Instant at, String reason) {
        return endWithError(taskId, TaskStatus.FAILED, at, reason);
    }

    @Override
    public boolean expire(UUID taskId, Instant at, String reason) {
        return endWithError(taskId, TaskStatus.EXPIRED, at, reason);
    }

    /** Ends a task that is not finished yet with {@code status} and the reason as its error. */
    private boolean endWithError(UUID taskId, TaskStatus status, Instant at, String reason) {
        return update(status.id() + " task " + taskId,
                "UPDATE tasks SET status = ?, completed_at = ?, error = ? WHERE task_id = ? AND " + NOT_TERMINAL,
                statement -> {
                    statement.setString(1, status.id());
                    setInstant(statement, 2, at);
                    statement.setString(3, reason);
                    statement.setObject(4, taskId);
                }) == 1;
    }

    @Override
    public List<UUID> expireOverdue(Instant now, String reason, int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        return run("expire overdue tasks", connection -> StoreSql.isPostgres(connection)
                ? expireReturning(connection, now, reason, max)
                : expireRowByRow(connection, now, reason, max));
    }

    /**
     * PostgreSQL: one statement. SKIP LOCKED leaves rows another sweep (or a completion) is changing to
     * that caller; the status test is re-checked on the row's latest version before it is updated.
     */
    private static List<UUID> expireReturning(Connection connection, Instant now, String reason, int max)
            throws SQLException {
        String sql = "UPDATE tasks SET status = 'expired', completed_at = ?, error = ?"
                + " WHERE " + NOT_TERMINAL + " AND task_id IN ("
                + "SELECT task_id FROM tasks WHERE " + NOT_TERMINAL + " AND deadline <= ? AND " + NOT_FOR_ALL
                + " ORDER BY deadline LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " RETURNING task_id";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            setInstant(statement, 1, now);
            statement.setString(2, reason);
            setInstant(statement, 3, now);
            statement.setInt(4, max);
            return StoreSql.rows(statement, rows -> rows.getObject(1, UUID.class));
        }
    }

    /**
     * H2 (no UPDATE … RETURNING): find the candidates, then expire each with its own conditional update.
     * H2 re-reads a row it had to wait for, so of several sweeps only one updates each task.
     */
    private static List<UUID> expireRowByRow(Connection connection, Instant now, String reason, int max)
            throws SQLException {
        List<UUID> candidates;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT task_id FROM tasks WHERE " + NOT_TERMINAL + " AND deadline <= ? AND " + NOT_FOR_ALL
                        + " ORDER BY deadline LIMIT ?")) {
            setInstant(select, 1, now);
            select.setInt(2, max);
            candidates = StoreSql.rows(select, rows -> rows.getObject(1, UUID.class));
        }
        List<UUID> expired = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE tasks SET status = 'expired', completed_at = ?, error = ?"
                        + " WHERE task_id = ? AND " + NOT_TERMINAL)) {
            for (UUID taskId : candidates) {
                setInstant(update, 1, now);
                update.setString(2, reason);
                update.setObject(3, taskId);
                if (update.executeUpdate() == 1) {
                    expired.add(taskId);
                }
            }
        }
        return expired;
    }

    @Override
    public List<StoredTask> overdueForAll(Instant now, int max) {
        return run("find overdue tasks for target all", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + " FROM tasks WHERE "
                    + NOT_TERMINAL + " AND deadline <= ? AND target = 'all' ORDER BY deadline LIMIT ?")) {
                setInstant(statement, 1, now);
                statement.setInt(2, max);
                return StoreSql.rows(statement, JdbcTaskStore::task);
            }
        });
    }

    @Override
    public int deleteCompletedBefore(Instant cutoff) {
        return run("delete tasks created before " + cutoff, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "DELETE FROM tasks WHERE created_at < ? AND " + TERMINAL)) {
                setInstant(statement, 1, cutoff);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public boolean delete(UUID taskId) {
        return update("delete task " + taskId, "DELETE FROM tasks WHERE task_id = ?",
                statement -> statement.setObject(1, taskId)) == 1;
    }

    @Override
    public void ping() {
        run("reach the task store", connection -> {
            if (!connection.isValid(PING_TIMEOUT_SECONDS)) {
                throw new SQLException("the connection did not answer a validity check");
            }
            return null;
        });
    }

    private static StoredTask task(ResultSet rows) throws SQLException {
        return new StoredTask(
                rows.getObject("task_id", UUID.class),
                rows.getString("task_type"),
                Target.of(rows.getString("target")),
                TaskStatus.of(rows.getString("status")),
                rows.getString("request_json"),
                Objects.requireNonNull(instant(rows, "created_at")),
                Objects.requireNonNull(instant(rows, "deadline")),
                instant(rows, "started_at"),
                instant(rows, "completed_at"),
                rows.getString("worker_id"),
                rows.getString("result_json"),
                rows.getString("error"),
                workers(rows.getString("expected_workers")),
                rows.getString("schedule"),
                rows.getString("trace_id"),
                rows.getBoolean("canary"));
    }

    private static List<String> workers(String joined) {
        return joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static void requireWorkerId(String workerId, String what) {
        if (workerId.isBlank() || workerId.contains(",") || workerId.length() > MAX_WORKER_ID_LENGTH) {
            throw new IllegalArgumentException(what + " id must be 1 to " + MAX_WORKER_ID_LENGTH
                    + " characters without commas, got '" + workerId + "'");
        }
    }

    /** One statement that changes a task, committed with the concurrent callers' changes. */
    private int update(String what, String sql, Binder binder) {
        return writes.run(what, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                return statement.executeUpdate();
            }
        });
    }

    private <T> T run(String what, StoreSql.Work<T> work) {
        return StoreSql.run(dataSource, what, work);
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }
}
