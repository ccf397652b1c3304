package dev.vitals.bench;

import dev.vitals.api.ApiConfig;
import dev.vitals.api.history.HistoryRecorder;
import dev.vitals.api.history.RecordingListener;
import dev.vitals.api.history.JdbcHistoryStore;
import dev.vitals.api.history.RunsOfTask;
import dev.vitals.api.history.WorkerHistory;
import dev.vitals.api.state.JdbcStateStore;
import dev.vitals.api.store.Database;
import dev.vitals.model.json.VitalsJson;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * {@code vitals bench history --store JDBC_URL [--workers N] [--rounds N] [--days N] [--queries N]}: the history's
 * cost on a PostgreSQL store of its own (everything in it is deleted first).
 *
 * <ol>
 *   <li>Recording: {@code rounds} rounds of a 30 s schedule over {@code workers} workers: each round's ended tasks
 *       (one per worker, with a full report) are inserted into {@code tasks} directly, then recorded by the
 *       API's own recorder in batches of 1,000; the recorder's wall and CPU time per result is reported.</li>
 *   <li>Volume: a day of raw runs per worker and {@code days} days of hourly buckets (the worker's overall status
 *       and one check) are generated in the database, for the sizes per worker and day and for the queries.</li>
 *   <li>Queries, as the API makes them ({@link WorkerHistory}), for random workers: raw over 24 h, hourly and
 *       daily buckets over 30, 90 and 365 days, and uptime over every window; p50 and p99.</li>
 * </ol>
 */
public final class HistoryBench {

    private static final String REPORT = "{\"task_id\":\"%s\",\"worker_id\":\"%s\",\"hostname\":\"bench-host\","
            + "\"timestamp\":\"2026-11-22T10:15:30.456Z\",\"duration_ms\":2.4,\"status\":\"%s\",\"checks\":{"
            + "\"cpu\":{\"status\":\"ok\",\"percent_used\":12.5,\"logical_cpus\":2,\"warning\":90,\"error\":95},"
            + "\"memory\":{\"status\":\"ok\",\"percent_used\":41.2,\"available_mb\":7234.5,\"total_mb\":8000.0,\"warning\":80,\"error\":95},"
            + "\"disk\":{\"status\":\"%s\",\"percent_used\":%s,\"free_gb\":13.0,\"total_gb\":160.0,\"path\":\"/\","
            + "\"mounts\":[{\"path\":\"/\",\"percent_used\":%s,\"free_gb\":13.0,\"total_gb\":160.0}],\"warning\":90,\"error\":95},"
            + "\"load\":{\"status\":\"ok\",\"load_average\":[0.84,0.61,0.55],\"per_core\":0.42,\"warning\":1.5,\"error\":3},"
            + "\"threads\":{\"status\":\"ok\",\"count\":812,\"processes\":96,\"worker_threads\":21,\"warning\":10000,\"error\":30000}},"
            + "\"uptime_seconds\":123456}";

    private final String url;
    private final int workers;
    private final int rounds;
    private final int days;
    private final int queries;
    private final boolean reuse;
    private final PrintStream out;

    private HistoryBench(String url, int workers, int rounds, int days, int queries, boolean reuse, PrintStream out) {
        this.url = url;
        this.workers = workers;
        this.rounds = rounds;
        this.days = days;
        this.queries = queries;
        this.reuse = reuse;
        this.out = out;
    }

    static final String USAGE = "usage: vitals bench history --store JDBC_URL [--workers 1000] [--rounds 10]"
            + " [--days 400] [--queries 200] [--reuse]\n  --days 0: the recording alone\n  --reuse: the sizes and queries"
            + " alone, over the volume an earlier run generated (with the same --workers)\n  JDBC_URL: a PostgreSQL"
            + " database of the benchmark's own; everything in it is deleted (unless --reuse)\n";

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        String url = null;
        int workers = 1000;
        int rounds = 10;
        int days = 400;
        int queries = 200;
        boolean reuse = false;
        for (int i = 0; i < args.size(); i++) {
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            if (args.get(i).equals("--reuse")) {
                reuse = true;
                continue;
            }
            switch (args.get(i)) {
                case "--store" -> url = value;
                case "--workers" -> workers = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--days" -> days = Integer.parseInt(value);
                case "--queries" -> queries = Integer.parseInt(value);
                default -> {
                    err.print(USAGE);
                    return 2;
                }
            }
            i++;
        }
        if (url == null || !url.startsWith("jdbc:postgresql:") || workers < 1 || workers > 100_000 || rounds < 1
                || rounds > 1000 || days < 0 || days > 400 || queries < 1 || queries > 100_000) {
            err.print(USAGE);
            return 2;
        }
        new HistoryBench(url, workers, rounds, days, queries, reuse, out).run();
        return 0;
    }

    private static final class SteppedClock extends Clock {
        private volatile Instant now;

        SteppedClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private void run() throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        ApiConfig.History settings = new ApiConfig.History(Duration.ofDays(7), Duration.ofDays(400),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60), 1000, 10_000);
        try (Database database = Database.open(url, 4, Duration.ofSeconds(10))) {
            SteppedClock clock = new SteppedClock(now);
            JdbcHistoryStore history = new JdbcHistoryStore(database.dataSource());
            if (reuse) {
                sizes(database);
                query(new WorkerHistory(history, settings, clock), clock, generatedAt(database));
                return;
            }
            empty(database);
            JdbcStateStore states = new JdbcStateStore(database.dataSource(), VitalsJson.newMapper());
            HistoryRecorder recorder = new HistoryRecorder(history, states, new RunsOfTask(VitalsJson.newMapper()),
                    settings, ApiConfig.State.DEFAULTS, clock, null, transitions -> { }, RecordingListener.NONE);
            record(database, recorder, clock, now.minus(Duration.ofSeconds(30L * rounds)));
            if (days > 0) {
                generate(database, now);
                sizes(database);
                query(new WorkerHistory(history, settings, clock), clock, now);
            }
        }
    }

    private void empty(Database database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE task_reports, tasks, history_runs, history_buckets, history_days, worker_states,"
                    + " worker_transitions");
            statement.execute("UPDATE history_recorder SET recorded_until = TIMESTAMP WITH TIME ZONE"
                    + " '1970-01-01 00:00:00+00'");
        }
    }

    /** Rounds of one ended task per worker, each recorded as the recorder does it. */
    private void record(Database database, HistoryRecorder recorder, SteppedClock clock, Instant start)
            throws SQLException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Double> wallPerResult = new ArrayList<>();
        List<Double> cpuPerResult = new ArrayList<>();
        Random random = new Random(1);
        for (int round = 0; round < rounds; round++) {
            Instant ended = start.plusSeconds(30L * round);
            insertEndedTasks(database, ended, random);
            clock.now = ended.plusSeconds(3);
            long wall = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            int recorded = 0;
            while (true) {
                HistoryRecorder.Recorded batch = recorder.recordOnce();
                recorded += batch.runs();
                if (batch.tasks() < 1000) {
                    break;
                }
            }
            wallPerResult.add((System.nanoTime() - wall) / 1000.0 / recorded);
            cpuPerResult.add((threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / recorded);
        }
        // the first rounds warm the JIT and the store's caches
        List<Double> wall = wallPerResult.subList(Math.min(2, rounds - 1), rounds);
        List<Double> cpu = cpuPerResult.subList(Math.min(2, rounds - 1), rounds);
        out.printf("recording, %d workers, %d rounds (first 2 not counted): per result %.1f µs wall (median of"
                        + " rounds %.1f, range %.1f–%.1f), %.1f µs CPU of the recording thread%n", workers, rounds,
                mean(wall), median(wall), min(wall), max(wall), mean(cpu));
    }

    private void insertEndedTasks(Database database, Instant ended, Random random) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO tasks (task_id, task_type, target,"
                     + " status, request_json, created_at, deadline, started_at, completed_at, worker_id, result_json,"
                     + " expected_workers, schedule) VALUES (?, 'health_check', ?, 'completed', '{}', ?, ?, ?, ?, ?, ?,"
                     + " '', 'every-30s')")) {
            connection.setAutoCommit(false);
            for (int w = 1; w <= workers; w++) {
                UUID taskId = UUID.randomUUID();
                String worker = "bench-worker-" + w;
                double disk = random.nextInt(100) < 2 ? 96.5 : 63.0;
                String diskStatus = disk >= 95 ? "error" : "ok";
                insert.setObject(1, taskId);
                insert.setString(2, worker);
                insert.setObject(3, OffsetDateTime.ofInstant(ended.minusMillis(20), ZoneOffset.UTC));
                insert.setObject(4, OffsetDateTime.ofInstant(ended.plusSeconds(30), ZoneOffset.UTC));
                insert.setObject(5, OffsetDateTime.ofInstant(ended.minusMillis(10), ZoneOffset.UTC));
                insert.setObject(6, OffsetDateTime.ofInstant(ended, ZoneOffset.UTC));
                insert.setString(7, worker);
                insert.setString(8, String.format(REPORT, taskId, worker,
                        diskStatus.equals("ok") ? "healthy" : "error", diskStatus, disk, disk));
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        }
    }

    /** A day of raw runs and {@code days} days of hourly buckets per worker, generated by the database. */
    private void generate(Database database, Instant now) throws SQLException {
        long started = System.nanoTime();
        Instant hour = now.truncatedTo(ChronoUnit.HOURS);
        try (Connection connection = database.dataSource().getConnection()) {
            try (PreparedStatement runs = connection.prepareStatement("INSERT INTO history_runs (task_id, worker_id,"
                    + " run_at, scheduled, status, cpu_status, cpu_value, cpu_warning, cpu_error, memory_status,"
                    + " memory_value, memory_warning, memory_error, disk_status, disk_value, disk_warning, disk_error,"
                    + " load_status, load_value, load_warning, load_error, threads_status, threads_value,"
                    + " threads_warning, threads_error)"
                    + " SELECT gen_random_uuid(), 'bench-worker-' || w, t, true, 'healthy', 0, 12.5, 90, 95, 0, 41.2,"
                    + " 80, 95, 0, 63.0, 90, 95, 0, 0.42, 1.5, 3, 0, 812, 10000, 30000"
                    + " FROM generate_series(1, ?) w, generate_series(?::timestamptz - interval '1 day',"
                    + " ?::timestamptz - interval '10 minutes', interval '30 seconds') t")) {
                runs.setInt(1, workers);
                runs.setObject(2, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                runs.setObject(3, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                runs.executeUpdate();
            }
            for (String table : List.of("history_buckets", "history_days")) {
                boolean daily = table.equals("history_days");
                Instant first = daily ? hour.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days))
                        : hour.minus(Duration.ofDays(days));
                Instant last = daily ? hour.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1))
                        : hour.minus(Duration.ofHours(1));
                try (PreparedStatement buckets = connection.prepareStatement("INSERT INTO " + table + " (worker_id,"
                        + " check_name, bucket_start, reports, n_ok, n_warning, n_error, n_unknown, value_count,"
                        + " value_sum, value_min, value_max, runs, failures)"
                        + " SELECT 'bench-worker-' || w, c, h, " + (daily ? "2880, 2808, 48, 24, 0, 2880, 181440.0"
                        : "120, 117, 2, 1, 0, 120, 7560.0") + ", 55.0, 96.5, " + (daily ? "2880, 24" : "120, 1")
                        + " FROM generate_series(1, ?) w, unnest(ARRAY['overall', 'disk']) c,"
                        + " generate_series(?::timestamptz, ?::timestamptz, interval '1 " + (daily ? "day" : "hour")
                        + "') h ON CONFLICT DO NOTHING")) {
                    buckets.setInt(1, workers);
                    buckets.setObject(2, OffsetDateTime.ofInstant(first, ZoneOffset.UTC));
                    buckets.setObject(3, OffsetDateTime.ofInstant(last, ZoneOffset.UTC));
                    buckets.executeUpdate();
                }
            }
            // As autovacuum leaves tables that have run a while: rows written before its last pass are marked
            // visible to all, so index-only scans need not read the table for them.
            try (Statement vacuum = connection.createStatement()) {
                vacuum.execute("VACUUM (ANALYZE) history_runs");
                vacuum.execute("VACUUM (ANALYZE) history_buckets");
                vacuum.execute("VACUUM (ANALYZE) history_days");
            }
        }
        out.printf("generated a day of raw runs and %d days of hourly and daily buckets (overall and disk) for %d workers"
                + " in %.0f s%n", days, workers, (System.nanoTime() - started) / 1e9);
    }

    /** When the volume was generated, to within the 30 s between runs: its raw runs end 10 minutes before. */
    private static Instant generatedAt(Database database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT max(run_at) FROM history_runs")) {
            if (!rows.next() || rows.getObject(1) == null) {
                throw new IllegalStateException("--reuse: the store holds no generated volume; run without --reuse first");
            }
            return rows.getObject(1, OffsetDateTime.class).toInstant().plus(Duration.ofMinutes(10));
        }
    }

    private void sizes(Database database) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            double run = bytesPerRow(statement, "history_runs");
            double bucket = bytesPerRow(statement, "history_buckets");
            double day = bytesPerRow(statement, "history_days");
            out.printf("  a daily bucket row: %.0f bytes, %.1f KB per worker per day (6 scopes)%n", day, day * 6 / 1024);
            double perDay = run * 2880 + bucket * 24 * 6 + day * 6;
            out.printf("store size (tables, indexes, TOAST): %.0f bytes per run, %.0f per bucket row; per worker per day"
                            + " on a 30 s schedule %.0f KB raw (2,880 runs) + %.1f KB of buckets (24 h x 6 scopes);"
                            + " kept: %.1f MB raw (7 d) + %.1f MB of buckets (400 d) per worker%n",
                    run, bucket, run * 2880 / 1024, bucket * 144 / 1024, run * 2880 * 7 / 1048576,
                    bucket * 144 * 400 / 1048576);
            out.printf("  so %.1f KB per worker per day while both are kept; for 1,000 workers %.1f GB raw + %.1f GB"
                    + " of buckets%n", perDay / 1024, run * 2880 * 7 * 1000 / 1e9, bucket * 144 * 400 * 1000 / 1e9);
        }
    }

    private static double bytesPerRow(Statement statement, String table) throws SQLException {
        try (ResultSet rows = statement.executeQuery("SELECT pg_total_relation_size('" + table + "'),"
                + " (SELECT count(*) FROM " + table + ")")) {
            rows.next();
            return (double) rows.getLong(1) / rows.getLong(2);
        }
    }

    private void query(WorkerHistory history, SteppedClock clock, Instant now) {
        clock.now = now;
        Random random = new Random(2);
        Supplier<String> worker = () -> "bench-worker-" + (1 + random.nextInt(workers));
        String to = now.toString();
        time("raw, overall status, 24 h (2,870 points)", () -> history.history(worker.get(), null,
                now.minus(Duration.ofDays(1)).toString(), to, null));
        time("raw, disk, 24 h", () -> history.history(worker.get(), "disk", now.minus(Duration.ofDays(1)).toString(),
                to, null));
        for (int span : new int[] {30, 90, 365}) {
            String from = now.minus(Duration.ofDays(span)).toString();
            time("step=1h, disk, " + span + " d (" + span * 24 + " buckets)",
                    () -> history.history(worker.get(), "disk", from, to, "1h"));
            time("step=1d, disk, " + span + " d", () -> history.history(worker.get(), "disk", from, to, "1d"));
        }
        time("uptime, every window (24h to 365d)", () -> history.uptime(worker.get()));
    }

    private void time(String what, Runnable query) {
        for (int i = 0; i < Math.min(50, queries); i++) {
            query.run();
        }
        double[] millis = new double[queries];
        for (int i = 0; i < queries; i++) {
            long start = System.nanoTime();
            query.run();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        out.printf("query %-40s p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n", what, millis[queries / 2],
                millis[(int) Math.ceil(queries * 0.99) - 1], millis[queries - 1]);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }

    private static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
