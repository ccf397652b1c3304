package dev.vitals.api.history;

import static dev.vitals.api.store.StoreSql.instant;
import static dev.vitals.api.store.StoreSql.setInstant;

import dev.vitals.api.store.StoreSql;
import dev.vitals.model.CheckName;
import dev.vitals.model.CheckStatus;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The history over JDBC ({@code history_runs}, {@code history_buckets}, {@code history_recorder}, schema
 * V6). The recorder's part ({@link #lockCursor}, {@link #endedTasks}, {@link #insert}, {@link #moveCursor}) runs
 * on the caller's connection, inside its transaction; reads and deletions take a connection of their own.
 *
 * <p>Runs are counted into their hour's bucket and their UTC day's as they are inserted, in the same transaction,
 * so a bucket is right for the current hour and day too and no later roll-up can miss a run; retention then only
 * deletes. A year is read from 365 daily rows rather than 8,760 hourly ones.
 */
public final class JdbcHistoryStore implements HistoryStore {

    /** The bucket scope of the reports' overall status. */
    static final String OVERALL = "overall";

    private static final String[] CHECK_COLUMNS = Arrays.stream(CheckName.values())
            .map(name -> name.id() + "_status, " + name.id() + "_value, " + name.id() + "_warning, " + name.id() + "_error")
            .toArray(String[]::new);

    private final DataSource dataSource;

    public JdbcHistoryStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The connections this store reads and deletes with, for the recorder's transactions. */
    DataSource dataSource() {
        return dataSource;
    }

    // --- the recorder's part, on its transaction

    /** Locks the recorder's row until the transaction ends and answers how far tasks were recorded. */
    Instant lockCursor(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT recorded_until FROM history_recorder WHERE id = 1 FOR UPDATE")) {
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    throw new SQLException("history_recorder has no row 1: the schema was changed by hand");
                }
                return Objects.requireNonNull(instant(rows, "recorded_until"));
            }
        }
    }

    void moveCursor(Connection connection, Instant recordedUntil) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE history_recorder SET recorded_until = ? WHERE id = 1 AND recorded_until < ?")) {
            setInstant(update, 1, recordedUntil);
            setInstant(update, 2, recordedUntil);
            update.executeUpdate();
        }
    }

    /**
     * Tasks that ended after {@code after} and no later than {@code upTo} with none of their runs recorded, by
     * when they ended, at most {@code max}. Tasks that stand for no run (target {@code any}, ended without a
     * worker) are left out, so that they are not read again and again, and so are canaries: they prove the
     * pipeline, not a worker's health.
     *
     * <p>A task has a {@code completed_at} once it ended, and only then ({@code StoredTask}), so the range alone
     * finds ended tasks. A condition on {@code status} as well made H2 read every ended task in the store through
     * the status index on each pass, rather than the range through {@code tasks_completed_at_idx}, which holds
     * every other column the conditions test (V22).
     *
     * <p>Which tasks are recorded is learnt from the runs of the same range ({@code run_at} is the task's
     * {@code completed_at}, {@link RunsOfTask}), read once from the range of the runs' primary key (V26), rather than
     * by a look-up of each task by its id: task ids are random, so each look-up lands on a page of its
     * own, and a look-back passes over a minute of tasks. A range with no run recorded in it (every pass but the
     * look-backs: runs are recorded only up to the cursor) is read in one query. Otherwise the tasks' ids are read
     * from the index alone and only the unrecorded tasks' rows, with their reports, are read.
     */
    List<EndedTask> endedTasks(Connection connection, Instant after, Instant upTo, int max) throws SQLException {
        Set<UUID> recorded = recordedTasks(connection, after, upTo);
        if (recorded.isEmpty()) {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + ENDED_TASK_COLUMNS
                    + " FROM tasks WHERE completed_at > ? AND completed_at <= ? AND " + STANDS_FOR_RUNS
                    + " ORDER BY completed_at, task_id LIMIT ?")) {
                setInstant(select, 1, after);
                setInstant(select, 2, upTo);
                select.setInt(3, max);
                return StoreSql.rows(select, JdbcHistoryStore::endedTask);
            }
        }
        List<UUID> unrecorded = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT task_id FROM tasks"
                + " WHERE completed_at > ? AND completed_at <= ? AND " + STANDS_FOR_RUNS
                + " ORDER BY completed_at, task_id")) {
            setInstant(select, 1, after);
            setInstant(select, 2, upTo);
            try (ResultSet rows = select.executeQuery()) {
                while (unrecorded.size() < max && rows.next()) {
                    UUID taskId = rows.getObject(1, UUID.class);
                    if (!recorded.contains(taskId)) {
                        unrecorded.add(taskId);
                    }
                }
            }
        }
        if (unrecorded.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT " + ENDED_TASK_COLUMNS
                + " FROM tasks WHERE task_id = ANY (?) ORDER BY completed_at, task_id")) {
            select.setArray(1, connection.createArrayOf("uuid", unrecorded.toArray()));
            return StoreSql.rows(select, JdbcHistoryStore::endedTask);
        }
    }

    private static final String ENDED_TASK_COLUMNS =
            "task_id, target, status, completed_at, worker_id, result_json, expected_workers, schedule";
    /** Ended tasks that stand for runs: all but those of target {@code any} that no worker took, and canaries. */
    private static final String STANDS_FOR_RUNS = "NOT (target = 'any' AND worker_id IS NULL) AND NOT canary";

    /** The tasks with runs recorded between {@code after} (excluded) and {@code upTo}, by when they ended. */
    private static Set<UUID> recordedTasks(Connection connection, Instant after, Instant upTo) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT task_id FROM history_runs WHERE run_at > ? AND run_at <= ?")) {
            setInstant(select, 1, after);
            setInstant(select, 2, upTo);
            Set<UUID> recorded = new HashSet<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    recorded.add(rows.getObject(1, UUID.class));
                }
            }
            return recorded;
        }
    }

    private static EndedTask endedTask(ResultSet rows) throws SQLException {
        String expected = rows.getString("expected_workers");
        return new EndedTask(rows.getObject("task_id", UUID.class), Target.of(rows.getString("target")),
                TaskStatus.of(rows.getString("status")), Objects.requireNonNull(instant(rows, "completed_at")),
                rows.getString("worker_id"), rows.getString("result_json"),
                expected == null || expected.isEmpty() ? List.of() : Arrays.asList(expected.split(",")),
                rows.getString("schedule"));
    }

    /** Runs inserted per statement on PostgreSQL (25 parameters each, under the driver's limit). */
    private static final int RUNS_PER_STATEMENT = 500;
    /** Buckets added per statement (14 parameters each). */
    private static final int BUCKETS_PER_STATEMENT = 1000;

    private static final String INSERT_RUNS;
    private static final String RUN_ROW = "(?, ?, ?, ?, ?" + ", ?".repeat(4 * CHECK_COLUMNS.length) + ")";

    static {
        StringBuilder head = new StringBuilder("INSERT INTO history_runs (task_id, worker_id, run_at, scheduled, status");
        for (String columns : CHECK_COLUMNS) {
            head.append(", ").append(columns);
        }
        INSERT_RUNS = head.append(") VALUES ").toString();
    }

    /**
     * Inserts the runs and counts them into their buckets. On PostgreSQL the runs go in multi-row statements: a
     * round trip to the database costs more than the rows in it. H2 runs in the process, so there is no round trip
     * to save, and a statement with thousands of parameters is parsed again on each pass: one row's statement is
     * parsed once and run for each run as a batch.
     */
    void insert(Connection connection, List<Run> runs) throws SQLException {
        if (runs.isEmpty()) {
            return;
        }
        if (StoreSql.isPostgres(connection)) {
            for (int from = 0; from < runs.size(); from += RUNS_PER_STATEMENT) {
                List<Run> chunk = runs.subList(from, Math.min(runs.size(), from + RUNS_PER_STATEMENT));
                try (PreparedStatement insert = connection.prepareStatement(
                        INSERT_RUNS + String.join(", ", java.util.Collections.nCopies(chunk.size(), RUN_ROW)))) {
                    int index = 1;
                    for (Run run : chunk) {
                        index = setRun(insert, index, run);
                    }
                    insert.executeUpdate();
                }
            }
        } else {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_RUNS + RUN_ROW)) {
                for (Run run : runs) {
                    setRun(insert, 1, run);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        addToBuckets(connection, runs);
    }

    /** Binds a run's columns from {@code index} on; returns the index after them. */
    private static int setRun(PreparedStatement insert, int index, Run run) throws SQLException {
        insert.setObject(index++, run.taskId());
        insert.setString(index++, run.workerId());
        setInstant(insert, index++, run.at());
        insert.setBoolean(index++, run.scheduled());
        insert.setString(index++, run.status() == null ? null : run.status().id());
        for (CheckName name : CheckName.values()) {
            CheckPoint point = run.checks().get(name);
            if (point == null) {
                insert.setNull(index++, Types.SMALLINT);
                setDouble(insert, index++, null);
                setDouble(insert, index++, null);
                setDouble(insert, index++, null);
            } else {
                insert.setShort(index++, code(point.status()));
                setDouble(insert, index++, point.value());
                setDouble(insert, index++, point.warning());
                setDouble(insert, index++, point.error());
            }
        }
        return index;
    }

    private record BucketKey(String workerId, String scope, Instant start) {
    }

    /** What runs add to a bucket. */
    private static final class Delta {
        int reports;
        int ok;
        int warning;
        int error;
        int unknown;
        int values;
        double sum;
        @Nullable Double min;
        @Nullable Double max;
        int runs;
        int failures;

        void report(int statusIndex) {
            reports++;
            switch (statusIndex) {
                case 0 -> ok++;
                case 1 -> warning++;
                case 2 -> error++;
                default -> unknown++;
            }
        }

        void value(@Nullable Double value) {
            if (value != null) {
                values++;
                sum += value;
                min = min == null ? value : Math.min(min, value);
                max = max == null ? value : Math.max(max, value);
            }
        }
    }

    /** The tables of buckets: of an hour, and of a UTC day. */
    private enum Width {
        HOUR("history_buckets", ChronoUnit.HOURS),
        DAY("history_days", ChronoUnit.DAYS);

        final String table;
        final ChronoUnit unit;

        Width(String table, ChronoUnit unit) {
            this.table = table;
            this.unit = unit;
        }
    }

    private static void addToBuckets(Connection connection, List<Run> runs) throws SQLException {
        for (Width width : Width.values()) {
            addToBuckets(connection, runs, width);
        }
    }

    private static void addToBuckets(Connection connection, List<Run> runs, Width width) throws SQLException {
        Map<BucketKey, Delta> deltas = new LinkedHashMap<>();
        for (Run run : runs) {
            Instant hour = run.at().truncatedTo(width.unit);
            if (!run.isMissing() || run.scheduled()) {
                Delta overall = deltas.computeIfAbsent(new BucketKey(run.workerId(), OVERALL, hour), k -> new Delta());
                if (!run.isMissing()) {
                    overall.report(switch (Objects.requireNonNull(run.status())) {
                        case HEALTHY -> 0;
                        case WARNING -> 1;
                        case ERROR -> 2;
                    });
                }
                if (run.scheduled()) {
                    overall.runs++;
                    overall.failures += run.failed() ? 1 : 0;
                }
            }
            run.checks().forEach((name, point) -> {
                Delta check = deltas.computeIfAbsent(new BucketKey(run.workerId(), name.id(), hour), k -> new Delta());
                check.report(code(point.status()));
                check.value(point.value());
                if (run.scheduled()) {
                    check.runs++;
                    check.failures += point.status() == CheckStatus.ERROR ? 1 : 0;
                }
            });
        }
        List<Map.Entry<BucketKey, Delta>> entries = new ArrayList<>(deltas.entrySet());
        if (StoreSql.isPostgres(connection)) {
            upsertBuckets(connection, entries, width);
        } else {
            mergeBuckets(connection, entries, width);
        }
    }

    /** The columns of a bucket row, in the order {@link #setBucket} binds them. */
    private static final String BUCKET_COLUMNS = "worker_id, check_name, bucket_start, reports, n_ok, n_warning,"
            + " n_error, n_unknown, value_count, value_sum, value_min, value_max, runs, failures";

    /**
     * H2 (which has no {@code ON CONFLICT … DO UPDATE}): every bucket in one {@code MERGE} per chunk, added to the
     * row that is there or inserted.
     */
    private static void mergeBuckets(Connection connection, List<Map.Entry<BucketKey, Delta>> entries, Width width)
            throws SQLException {
        String row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        String tail = ") AS d (" + BUCKET_COLUMNS + ") ON b.worker_id = d.worker_id AND b.check_name = d.check_name"
                + " AND b.bucket_start = d.bucket_start"
                + " WHEN MATCHED THEN UPDATE SET reports = b.reports + d.reports, n_ok = b.n_ok + d.n_ok,"
                + " n_warning = b.n_warning + d.n_warning, n_error = b.n_error + d.n_error,"
                + " n_unknown = b.n_unknown + d.n_unknown, value_count = b.value_count + d.value_count,"
                + " value_sum = b.value_sum + d.value_sum,"
                + " value_min = LEAST(COALESCE(b.value_min, d.value_min), COALESCE(d.value_min, b.value_min)),"
                + " value_max = GREATEST(COALESCE(b.value_max, d.value_max), COALESCE(d.value_max, b.value_max)),"
                + " runs = b.runs + d.runs, failures = b.failures + d.failures"
                + " WHEN NOT MATCHED THEN INSERT (" + BUCKET_COLUMNS + ") VALUES (d.worker_id, d.check_name,"
                + " d.bucket_start, d.reports, d.n_ok, d.n_warning, d.n_error, d.n_unknown, d.value_count, d.value_sum,"
                + " d.value_min, d.value_max, d.runs, d.failures)";
        for (int from = 0; from < entries.size(); from += BUCKETS_PER_STATEMENT) {
            List<Map.Entry<BucketKey, Delta>> chunk = entries.subList(from,
                    Math.min(entries.size(), from + BUCKETS_PER_STATEMENT));
            try (PreparedStatement merge = connection.prepareStatement("MERGE INTO " + width.table + " AS b USING"
                    + " (VALUES " + String.join(", ", java.util.Collections.nCopies(chunk.size(), row)) + tail)) {
                int index = 1;
                for (Map.Entry<BucketKey, Delta> entry : chunk) {
                    index = setBucket(merge, index, entry.getKey(), entry.getValue());
                }
                merge.executeUpdate();
            }
        }
    }

    /** PostgreSQL: every bucket in one statement per chunk, added to the row that is there or inserted. */
    private static void upsertBuckets(Connection connection, List<Map.Entry<BucketKey, Delta>> entries, Width width)
            throws SQLException {
        String head = "INSERT INTO " + width.table + " AS b (" + BUCKET_COLUMNS + ") VALUES ";
        String tail = " ON CONFLICT (worker_id, check_name, bucket_start) DO UPDATE SET"
                + " reports = b.reports + EXCLUDED.reports, n_ok = b.n_ok + EXCLUDED.n_ok,"
                + " n_warning = b.n_warning + EXCLUDED.n_warning, n_error = b.n_error + EXCLUDED.n_error,"
                + " n_unknown = b.n_unknown + EXCLUDED.n_unknown, value_count = b.value_count + EXCLUDED.value_count,"
                + " value_sum = b.value_sum + EXCLUDED.value_sum,"
                + " value_min = LEAST(COALESCE(b.value_min, EXCLUDED.value_min), COALESCE(EXCLUDED.value_min, b.value_min)),"
                + " value_max = GREATEST(COALESCE(b.value_max, EXCLUDED.value_max), COALESCE(EXCLUDED.value_max, b.value_max)),"
                + " runs = b.runs + EXCLUDED.runs, failures = b.failures + EXCLUDED.failures";
        String row = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        for (int from = 0; from < entries.size(); from += BUCKETS_PER_STATEMENT) {
            List<Map.Entry<BucketKey, Delta>> chunk = entries.subList(from,
                    Math.min(entries.size(), from + BUCKETS_PER_STATEMENT));
            try (PreparedStatement upsert = connection.prepareStatement(
                    head + String.join(", ", java.util.Collections.nCopies(chunk.size(), row)) + tail)) {
                int index = 1;
                for (Map.Entry<BucketKey, Delta> entry : chunk) {
                    index = setBucket(upsert, index, entry.getKey(), entry.getValue());
                }
                upsert.executeUpdate();
            }
        }
    }

    /** Binds a bucket's {@link #BUCKET_COLUMNS} from {@code index} on; returns the index after them. */
    private static int setBucket(PreparedStatement statement, int index, BucketKey key, Delta d) throws SQLException {
        statement.setString(index++, key.workerId());
        statement.setString(index++, key.scope());
        setInstant(statement, index++, key.start());
        statement.setInt(index++, d.reports);
        statement.setInt(index++, d.ok);
        statement.setInt(index++, d.warning);
        statement.setInt(index++, d.error);
        statement.setInt(index++, d.unknown);
        statement.setInt(index++, d.values);
        statement.setDouble(index++, d.sum);
        setDouble(statement, index++, d.min);
        setDouble(statement, index++, d.max);
        statement.setInt(index++, d.runs);
        statement.setInt(index++, d.failures);
        return index;
    }

    // --- reads

    @Override
    public List<Point> points(String workerId, @Nullable CheckName check, Instant from, Instant to, int limit) {
        String sql = check == null
                ? "SELECT run_at, status FROM history_runs WHERE worker_id = ? AND run_at >= ? AND run_at < ?"
                        + " AND status IS NOT NULL ORDER BY run_at LIMIT ?"
                : "SELECT run_at, " + check.id() + "_status, " + check.id() + "_value, " + check.id() + "_warning, "
                        + check.id() + "_error FROM history_runs WHERE worker_id = ? AND run_at >= ? AND run_at < ?"
                        + " AND " + check.id() + "_status IS NOT NULL ORDER BY run_at LIMIT ?";
        return StoreSql.run(dataSource, "read the history of worker " + workerId, connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                select.setString(1, workerId);
                setInstant(select, 2, from);
                setInstant(select, 3, to);
                select.setInt(4, limit);
                return StoreSql.rows(select, rows -> check == null
                        ? new Point(Objects.requireNonNull(instant(rows, 1)), rows.getString(2), null, null, null)
                        : new Point(Objects.requireNonNull(instant(rows, 1)), status(rows.getShort(2)).id(),
                                getDouble(rows, 3), getDouble(rows, 4), getDouble(rows, 5)));
            }
        });
    }

    @Override
    public List<Bucket> hourly(String workerId, @Nullable CheckName check, Instant from, Instant to) {
        return buckets(Width.HOUR, workerId, check, from, to);
    }

    @Override
    public List<Bucket> daily(String workerId, @Nullable CheckName check, Instant from, Instant to) {
        return buckets(Width.DAY, workerId, check, from, to);
    }

    private List<Bucket> buckets(Width width, String workerId, @Nullable CheckName check, Instant from, Instant to) {
        // Only what the answer shows, read by position: on PostgreSQL these columns are in the primary key's index
        // (V21), so the rows come from the index alone.
        return StoreSql.run(dataSource, "read the buckets of worker " + workerId, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT bucket_start, reports, n_ok,"
                    + " n_warning, n_error, n_unknown, value_count, value_sum, value_min, value_max"
                    + " FROM " + width.table + " WHERE worker_id = ? AND check_name = ? AND bucket_start >= ?"
                    + " AND bucket_start < ? ORDER BY bucket_start")) {
                select.setString(1, workerId);
                select.setString(2, check == null ? OVERALL : check.id());
                setInstant(select, 3, from);
                setInstant(select, 4, to);
                return StoreSql.rows(select, rows -> {
                    int values = rows.getInt(7);
                    double sum = rows.getDouble(8);
                    return new Bucket(Objects.requireNonNull(instant(rows, 1)), rows.getInt(2), rows.getInt(3),
                            rows.getInt(4), rows.getInt(5), rows.getInt(6), getDouble(rows, 9),
                            values == 0 ? null : sum / values, getDouble(rows, 10));
                });
            }
        });
    }

    @Override
    public Map<Duration, Uptime> uptime(String workerId, Instant now, List<Duration> windows) {
        Map<Duration, Uptime> uptime = new LinkedHashMap<>();
        for (Duration window : windows) {
            uptime.put(window, null);
        }
        List<Duration> hours = windows.stream().filter(w -> w.compareTo(Duration.ofDays(1)) <= 0).toList();
        List<Duration> days = windows.stream().filter(w -> w.compareTo(Duration.ofDays(1)) > 0).toList();
        uptime.putAll(sums(Width.HOUR, workerId, now, hours));
        uptime.putAll(sums(Width.DAY, workerId, now, days));
        return uptime;
    }

    /**
     * Runs and failures in each window: hourly buckets that start after {@code now - window} (up to the current
     * hour), or daily ones that start after the current day's start minus the window (the current day and the
     * whole days before it).
     */
    private Map<Duration, Uptime> sums(Width width, String workerId, Instant now, List<Duration> windows) {
        if (windows.isEmpty()) {
            return Map.of();
        }
        Instant current = now.truncatedTo(width.unit);
        Instant anchor = width == Width.HOUR ? now : current;
        Instant earliest = windows.stream().map(anchor::minus).min(Instant::compareTo).orElse(anchor);
        StringBuilder sql = new StringBuilder("SELECT");
        for (int i = 0; i < windows.size(); i++) {
            sql.append(i == 0 ? " " : ", ").append("COALESCE(SUM(CASE WHEN bucket_start > ? THEN runs ELSE 0 END), 0),")
                    .append(" COALESCE(SUM(CASE WHEN bucket_start > ? THEN failures ELSE 0 END), 0)");
        }
        sql.append(" FROM ").append(width.table).append(" WHERE worker_id = ? AND check_name = '" + OVERALL + "'"
                + " AND bucket_start > ? AND bucket_start <= ?");
        return StoreSql.run(dataSource, "read the uptime of worker " + workerId, connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                int index = 1;
                for (Duration window : windows) {
                    setInstant(select, index++, anchor.minus(window));
                    setInstant(select, index++, anchor.minus(window));
                }
                select.setString(index++, workerId);
                setInstant(select, index++, earliest);
                setInstant(select, index, current);
                Map<Duration, Uptime> uptime = new LinkedHashMap<>();
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    for (int i = 0; i < windows.size(); i++) {
                        uptime.put(windows.get(i), Uptime.of(rows.getLong(2 * i + 1), rows.getLong(2 * i + 2)));
                    }
                }
                return uptime;
            }
        });
    }

    @Override
    public boolean knows(String workerId) {
        return StoreSql.run(dataSource, "look for worker " + workerId + " in the history", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT 1 FROM history_buckets WHERE worker_id = ? LIMIT 1")) {
                select.setString(1, workerId);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    // --- retention

    @Override
    public int deleteRunsBefore(Instant cutoff, int max) {
        return StoreSql.run(dataSource, "delete runs older than " + cutoff, connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM history_runs WHERE run_at < ?"
                    + " AND (run_at, task_id, worker_id) IN (SELECT run_at, task_id, worker_id FROM history_runs WHERE run_at < ?"
                    + " LIMIT ?)")) {
                setInstant(delete, 1, cutoff);
                setInstant(delete, 2, cutoff);
                delete.setInt(3, max);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public int deleteBucketsBefore(Instant cutoff, int max) {
        int deleted = 0;
        for (Width width : Width.values()) {
            deleted += StoreSql.run(dataSource, "delete buckets older than " + cutoff, connection -> {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + width.table
                        + " WHERE bucket_start < ? AND (worker_id, check_name, bucket_start) IN (SELECT worker_id,"
                        + " check_name, bucket_start FROM " + width.table + " WHERE bucket_start < ? LIMIT ?)")) {
                    setInstant(delete, 1, cutoff);
                    setInstant(delete, 2, cutoff);
                    delete.setInt(3, max);
                    return delete.executeUpdate();
                }
            });
        }
        return deleted;
    }

    /**
     * The overall statuses of a worker's last scheduled runs, oldest first: {@code healthy}, {@code warning},
     * {@code error}, or {@code missing} for a run without a report.
     */
    public List<String> recentStatuses(Connection connection, String workerId, int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT status FROM history_runs"
                + " WHERE worker_id = ? AND scheduled ORDER BY run_at DESC LIMIT ?")) {
            statement.setString(1, workerId);
            statement.setInt(2, limit);
            List<String> newestFirst = StoreSql.rows(statement, rows -> rows.getString(1) == null
                    ? "missing" : rows.getString(1));
            return newestFirst.reversed();
        }
    }

    // --- columns

    private static short code(CheckStatus status) {
        return switch (status) {
            case OK -> 0;
            case WARNING -> 1;
            case ERROR -> 2;
            case UNKNOWN -> 3;
        };
    }

    static CheckStatus status(short code) {
        return switch (code) {
            case 0 -> CheckStatus.OK;
            case 1 -> CheckStatus.WARNING;
            case 2 -> CheckStatus.ERROR;
            default -> CheckStatus.UNKNOWN;
        };
    }

    private static void setDouble(PreparedStatement statement, int index, @Nullable Double value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.DOUBLE);
        } else {
            statement.setDouble(index, value);
        }
    }

    static @Nullable Double getDouble(ResultSet rows, int column) throws SQLException {
        double value = rows.getDouble(column);
        return rows.wasNull() ? null : value;
    }
}
