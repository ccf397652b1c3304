package dev.vitals.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vitals.api.Api;
import dev.vitals.api.store.Database;
import dev.vitals.testing.Browser;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code vitals bench dashboard --store JDBC_URL [--workers 200] [--loads 20]}: how fast the fleet page comes up in a
 * real headless Chromium for a fleet of {@code workers}, each with a last run, 90 days of uptime and a state (made in
 * the store directly, on a PostgreSQL database of the benchmark's own: its workers and history are deleted first),
 * served by an API started in this process (without a broker: the page reads only the store).
 *
 * <p>Each of {@code loads} full page loads (after 3 not counted) is timed by the browser itself: its first
 * contentful paint (the page's frame), the {@code /api/v1/fleet} call, the first paint with the first rows (more than a
 * screenful; {@code vitals:fleet-painted}, marked by the page two animation frames after it rendered them), and the
 * moment every row is in the page ({@code vitals:fleet-complete}).
 */
final class DashboardBench {

    static final String USAGE = "usage: vitals bench dashboard --store JDBC_URL [--workers 200] [--loads 20]\n"
            + "  JDBC_URL: a PostgreSQL database of the benchmark's own; its workers and history are deleted\n";
    private static final int WARMUP_LOADS = 3;
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);

    private DashboardBench() {
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        String url = null;
        int workers = 200;
        int loads = 20;
        for (int i = 0; i < args.size(); i += 2) {
            String value = i + 1 < args.size() ? args.get(i + 1) : null;
            try {
                switch (args.get(i)) {
                    case "--store" -> url = value;
                    case "--workers" -> workers = Integer.parseInt(String.valueOf(value));
                    case "--loads" -> loads = Integer.parseInt(String.valueOf(value));
                    default -> throw new IllegalArgumentException(args.get(i));
                }
            } catch (IllegalArgumentException e) {
                err.print(USAGE);
                return 2;
            }
        }
        if (url == null || !url.startsWith("jdbc:postgresql:") || workers < 1 || workers > 10_000 || loads < 1
                || loads > 1000) {
            err.print(USAGE);
            return 2;
        }
        try (Database database = Database.open(url, 2, Duration.ofSeconds(10))) {
            fleet(database, workers);
        }
        Config config = ConfigFactory.parseMap(Map.of("vitals.api.port", 0, "vitals.api.host", "127.0.0.1",
                        "vitals.api.store.url", url,
                        // no broker: the fleet page reads the store only, and nothing else should run meanwhile
                        "vitals.broker.uri", "amqp://guest:guest@127.0.0.1:1/%2f"))
                .withFallback(ConfigFactory.load());
        try (Api api = Api.start(config); Browser browser = new Browser(1400, 1000)) {
            String page = "http://127.0.0.1:" + api.port() + "/";
            List<Double> contentful = new ArrayList<>();
            List<Double> fleetCall = new ArrayList<>();
            List<Double> fleetPainted = new ArrayList<>();
            List<Double> fleetComplete = new ArrayList<>();
            for (int load = 0; load < WARMUP_LOADS + loads; load++) {
                browser.driver().get(page + "?load=" + load);
                Map<String, Object> timings = await(browser, workers);
                if (System.getenv("VITALS_BENCH_VERBOSE") != null) {
                    out.println("load " + load + ": " + timings);
                }
                if (load >= WARMUP_LOADS) {
                    contentful.add(number(timings.get("contentful")));
                    fleetCall.add(number(timings.get("fleet")));
                    fleetPainted.add(number(timings.get("painted")));
                    fleetComplete.add(number(timings.get("complete")));
                }
            }
            out.printf("fleet page, %d workers, %d loads (after %d): first contentful paint %s; GET /api/v1/fleet %s;"
                    + " the first rows painted %s; every row in the page %s (ms since navigation; p50 / p95 / max)%n",
                    workers, loads, WARMUP_LOADS, summary(contentful), summary(fleetCall), summary(fleetPainted),
                    summary(fleetComplete));
        }
        return 0;
    }

    /** Waits for every row and the mark after their paint; returns the browser's timings of this load. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> await(Browser browser, int workers) throws InterruptedException {
        long end = System.nanoTime() + PAGE_TIMEOUT.toNanos();
        while (System.nanoTime() < end) {
            Object timings = browser.script("const painted = performance.getEntriesByName('vitals:fleet-painted');"
                    + " const complete = performance.getEntriesByName('vitals:fleet-complete');"
                    + " if (document.querySelectorAll('#fleet-rows tr').length !== arguments[0] || !painted.length"
                    + " || !complete.length) return null;"
                    + " const fleet = performance.getEntriesByType('resource').find(e => e.name.includes('/api/v1/fleet'));"
                    + " return {contentful: performance.getEntriesByName('first-contentful-paint')[0].startTime,"
                    + " fleet: fleet.duration, painted: painted[0].startTime,"
                    + " fetched: performance.getEntriesByName('vitals:fleet-fetched')[0].startTime,"
                    + " rendered: performance.getEntriesByName('vitals:fleet-rendered')[0].startTime,"
                    + " complete: complete[0].startTime};", workers);
            if (timings != null) {
                return (Map<String, Object>) timings;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the fleet page did not show " + workers + " rows within " + PAGE_TIMEOUT);
    }

    /** The fleet in the store: workers that just sent a heartbeat, each with a last run, a state and 90 days. */
    private static void fleet(Database database, int workers) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE workers, history_runs, history_buckets, history_days, worker_states,"
                    + " worker_transitions, alerts CASCADE");
            statement.execute("INSERT INTO workers (worker_id, hostname, version, started_at, last_seen,"
                    + " heartbeat_interval, last_status, stopped) SELECT 'bench-worker-' || lpad(w::text, 5, '0'),"
                    + " 'bench-host-' || w, '0.1.0', now() - interval '3 days', now(), 600000, 'healthy', false"
                    + " FROM generate_series(1, " + workers + ") w");
            statement.execute("INSERT INTO history_runs (task_id, worker_id, run_at, scheduled, status, cpu_status,"
                    + " cpu_value, cpu_warning, cpu_error, memory_status, memory_value, memory_warning, memory_error,"
                    + " disk_status, disk_value, disk_warning, disk_error, load_status, load_value, load_warning,"
                    + " load_error, threads_status, threads_value, threads_warning, threads_error)"
                    + " SELECT gen_random_uuid(), 'bench-worker-' || lpad(w::text, 5, '0'), now() - interval '10 seconds',"
                    + " true, 'healthy', 0, 12.5 + w % 50, 90, 95, 0, 41.2, 80, 95, CASE WHEN w % 25 = 0 THEN 2 ELSE 0 END,"
                    + " CASE WHEN w % 25 = 0 THEN 96.5 ELSE 63.0 END, 90, 95, 0, 0.42, 1.5, 3, 0, 812, 10000, 30000"
                    + " FROM generate_series(1, " + workers + ") w");
            statement.execute("INSERT INTO history_days (worker_id, check_name, bucket_start, reports, n_ok, n_warning,"
                    + " n_error, n_unknown, value_count, value_sum, value_min, value_max, runs, failures)"
                    + " SELECT 'bench-worker-' || lpad(w::text, 5, '0'), 'overall', d, 2880, 2850, 10, 20, 0, 0, 0, NULL,"
                    + " NULL, 2880, CASE WHEN (w + extract(doy FROM d)::int) % 17 = 0 THEN 60 ELSE 1 END"
                    + " FROM generate_series(1, " + workers + ") w,"
                    + " generate_series(date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '89 days',"
                    + " date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', interval '1 day') d");
            statement.execute("INSERT INTO history_buckets (worker_id, check_name, bucket_start, reports, n_ok, n_warning,"
                    + " n_error, n_unknown, value_count, value_sum, value_min, value_max, runs, failures)"
                    + " SELECT 'bench-worker-' || lpad(w::text, 5, '0'), 'overall', h, 120, 119, 0, 1, 0, 0, 0, NULL, NULL,"
                    + " 120, 1 FROM generate_series(1, " + workers + ") w,"
                    + " generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()),"
                    + " interval '1 hour') h");
            statement.execute("INSERT INTO worker_states (worker_id, scope, status, since, consecutive_failures,"
                    + " consecutive_successes, flapping, last_run_at, recent) SELECT 'bench-worker-' || lpad(w::text, 5, '0'),"
                    + " 'overall', CASE WHEN w % 25 = 0 THEN 'unhealthy' WHEN w % 10 = 0 THEN 'degraded' ELSE 'healthy' END,"
                    + " now() - interval '2 hours', 0, 5, false, now() - interval '10 seconds', 'sssss'"
                    + " FROM generate_series(1, " + workers + ") w");
            statement.execute("ANALYZE");
        }
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    private static String summary(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format("%.0f / %.0f / %.0f", percentile(sorted, 50), percentile(sorted, 95), sorted.getLast());
    }

    private static double percentile(List<Double> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index));
    }
}
