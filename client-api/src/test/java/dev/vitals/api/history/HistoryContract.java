package dev.vitals.api.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vitals.api.ApiConfig;
import dev.vitals.api.state.JdbcStateStore;
import dev.vitals.api.state.Transition;
import dev.vitals.api.state.WorkerState;
import dev.vitals.api.state.WorkerStatus;
import dev.vitals.api.store.Database;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.store.StoredTask;
import dev.vitals.api.support.MutableClock;
import dev.vitals.model.CheckName;
import dev.vitals.model.CheckStatus;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.ValidationException;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskMessage;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The history and the states as recorded from ended tasks, whatever database is behind them. A subclass supplies
 * one migrated database per class; each test starts from an empty store, with a clock that moves only when told.
 */
abstract class HistoryContract {

    static final int POOL_SIZE = 8;

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final String WORKER = "host-a-1";
    private static final String SCHEDULE = "every-30s";
    private static final ApiConfig.History SETTINGS = new ApiConfig.History(Duration.ofDays(7), Duration.ofDays(400),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60), 1000, 10_000);

    private final MutableClock clock = new MutableClock(T0);
    private JdbcTaskStore tasks;
    private JdbcHistoryStore history;
    private JdbcStateStore states;
    private HistoryRecorder recorder;
    private WorkerHistory queries;
    private final List<Transition> told = new ArrayList<>();

    protected abstract Database database();

    @BeforeEach
    void emptyStore() throws SQLException {
        try (Connection connection = database().dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            for (String table : List.of("task_reports", "tasks", "history_runs", "history_buckets", "history_days", "worker_states",
                    "worker_transitions")) {
                statement.executeUpdate("DELETE FROM " + table);
            }
            statement.executeUpdate("UPDATE history_recorder SET recorded_until = TIMESTAMP WITH TIME ZONE"
                    + " '1970-01-01 00:00:00+00'");
        }
        tasks = new JdbcTaskStore(database().dataSource());
        history = new JdbcHistoryStore(database().dataSource());
        states = new JdbcStateStore(database().dataSource(), VitalsJson.newMapper());
        recorder = newRecorder();
        queries = new WorkerHistory(history, SETTINGS, clock);
    }

    private HistoryRecorder newRecorder() {
        return new HistoryRecorder(history, states, new RunsOfTask(VitalsJson.newMapper()), SETTINGS,
                ApiConfig.State.DEFAULTS, clock, null, told::addAll, RecordingListener.NONE);
    }

    // --- tasks as they end

    static String report(String worker, String status, double disk, String diskStatus) {
        return "{\"worker_id\": \"" + worker + "\", \"status\": \"" + status + "\", \"checks\": {"
                + "\"cpu\": {\"status\": \"ok\", \"percent_used\": 12.5, \"logical_cpus\": 2, \"warning\": 90, \"error\": 95},"
                + "\"disk\": {\"status\": \"" + diskStatus + "\", \"percent_used\": " + disk
                + ", \"warning\": 90, \"error\": 95}}}";
    }

    static String healthy(String worker) {
        return report(worker, "healthy", 50.0, "ok");
    }

    static String diskError(String worker) {
        return report(worker, "error", 97.1, "error");
    }

    /** A scheduled task completed by {@code worker} at {@code at} with {@code report}. */
    private UUID completed(Instant at, String worker, String report, boolean scheduled) {
        StoredTask task = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.of(worker), "{}",
                at.minusMillis(100), at.plusSeconds(30), List.of());
        tasks.insert(scheduled ? task.scheduledBy(SCHEDULE) : task);
        assertThat(tasks.completeByWorker(task.taskId(), worker, null, at, report)).isPresent();
        return task.taskId();
    }

    private UUID scheduled(Instant at, String report) {
        return completed(at, WORKER, report, true);
    }

    /** The recorder's pass once {@code at} is far enough past. */
    private HistoryRecorder.Recorded recordAt(Instant at) {
        clock.set(at.plus(SETTINGS.settle()));
        return recorder.recordOnce();
    }

    private WorkerState state(String worker) {
        return states.states(List.of(worker)).getOrDefault(worker, WorkerState.UNKNOWN);
    }

    // --- points

    @Test
    void everyReportIsKeptAsPointsOfItsChecksAndItsOverallStatus() {
        completed(T0, WORKER, report(WORKER, "warning", 91.9, "warning"), false);
        scheduled(T0.plusSeconds(30), diskError(WORKER));
        recordAt(T0.plusSeconds(30));

        WorkerHistory.Points disk = (WorkerHistory.Points) queries.history(WORKER, "disk", T0.toString(),
                T0.plusSeconds(60).toString(), null);
        assertThat(disk.points()).containsExactly(
                new Point(T0, "warning", 91.9, 90.0, 95.0),
                new Point(T0.plusSeconds(30), "error", 97.1, 90.0, 95.0));
        WorkerHistory.Points overall = (WorkerHistory.Points) queries.history(WORKER, null, T0.toString(),
                T0.plusSeconds(60).toString(), null);
        assertThat(overall.points()).extracting(Point::status).containsExactly("warning", "error");
        WorkerHistory.Points memory = (WorkerHistory.Points) queries.history(WORKER, "memory", T0.toString(),
                T0.plusSeconds(60).toString(), null);
        assertThat(memory.points()).isEmpty();
    }

    @Test
    void aTaskIsRecordedOnlyOnceItEndedLongEnoughAgo() {
        scheduled(T0, healthy(WORKER));
        clock.set(T0.plusSeconds(1));
        assertThat(recorder.recordOnce().runs()).isZero();
        clock.set(T0.plusSeconds(2));
        assertThat(recorder.recordOnce().runs()).isEqualTo(1);
    }

    @Test
    void recordingAgainRecordsNothingTwice() {
        scheduled(T0, healthy(WORKER));
        recordAt(T0);
        assertThat(recordAt(T0).runs()).isZero();
        clock.advance(Duration.ofSeconds(30));
        assertThat(recorder.recordOnce().runs()).isZero();
        assertThat(history.points(WORKER, null, T0, T0.plusSeconds(1), 10)).hasSize(1);
    }

    @Test
    void aTaskCommittedAfterLaterOnesIsStillRecordedWithinTheOverlap() {
        scheduled(T0.plusSeconds(20), healthy(WORKER));
        recordAt(T0.plusSeconds(20));
        // ended at T0 by a replica that committed it only now: found by the next pass that looks back
        scheduled(T0, healthy(WORKER));
        assertThat(recordAt(T0.plusSeconds(21)).runs()).isZero();
        assertThat(recordAt(T0.plusSeconds(20).plus(HistoryRecorder.LOOK_BACK_INTERVAL)).runs()).isEqualTo(1);
    }

    @Test
    void theStoreRefusesAWorkersRunOfATaskTwice() throws SQLException {
        UUID taskId = UUID.randomUUID();
        try (Connection connection = database().dataSource().getConnection()) {
            history.insert(connection, List.of(Run.missing(taskId, WORKER, T0, true)));
            assertThatThrownBy(() -> history.insert(connection, List.of(Run.missing(taskId, WORKER, T0, true))))
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void aLookBackRecordsLateTasksAmongRecordedOnesInBatchesByWhenTheyEnded() {
        ApiConfig.History batchOfTwo = new ApiConfig.History(SETTINGS.rawRetention(), SETTINGS.bucketRetention(),
                SETTINGS.recordInterval(), SETTINGS.settle(), SETTINGS.overlap(), 2, SETTINGS.maxPoints());
        HistoryRecorder recorder = new HistoryRecorder(history, states, new RunsOfTask(VitalsJson.newMapper()),
                batchOfTwo, ApiConfig.State.DEFAULTS, clock, null, told::addAll, RecordingListener.NONE);
        for (int i = 1; i <= 4; i++) {
            completed(T0.plusSeconds(10L * i), WORKER, healthy(WORKER), false);
        }
        clock.set(T0.plusSeconds(42));
        recorder.recordAll(10);
        // committed late, between and before the recorded ones
        completed(T0.plusSeconds(15), "host-b-1", healthy("host-b-1"), false);
        completed(T0.plusSeconds(5), "host-c-1", healthy("host-c-1"), false);
        completed(T0.plusSeconds(35), "host-d-1", healthy("host-d-1"), false);

        clock.set(T0.plusSeconds(42).plus(HistoryRecorder.LOOK_BACK_INTERVAL));
        HistoryRecorder.Recorded first = recorder.recordOnce();
        assertThat(first.runs()).isEqualTo(2);
        assertThat(history.points("host-c-1", null, T0, T0.plusSeconds(60), 10)).hasSize(1);
        assertThat(history.points("host-b-1", null, T0, T0.plusSeconds(60), 10)).hasSize(1);
        assertThat(history.points("host-d-1", null, T0, T0.plusSeconds(60), 10)).isEmpty();

        clock.advance(HistoryRecorder.LOOK_BACK_INTERVAL);
        assertThat(recorder.recordOnce().runs()).isEqualTo(1);
        assertThat(history.points("host-d-1", null, T0, T0.plusSeconds(60), 10)).hasSize(1);
        assertThat(history.points(WORKER, null, T0, T0.plusSeconds(60), 10)).hasSize(4);
    }

    @Test
    void concurrentRecordersRecordEachRunAndTransitionOnce() throws Exception {
        for (int i = 0; i < 40; i++) {
            scheduled(T0.plusSeconds(30L * i), i % 4 == 0 ? diskError(WORKER) : healthy(WORKER));
        }
        clock.set(T0.plusSeconds(30L * 40));
        int replicas = 4;
        CyclicBarrier together = new CyclicBarrier(replicas);
        ExecutorService threads = Executors.newFixedThreadPool(replicas);
        try {
            List<Future<HistoryRecorder.Recorded>> passes = new ArrayList<>();
            for (int r = 0; r < replicas; r++) {
                HistoryRecorder replica = newRecorder();
                Callable<HistoryRecorder.Recorded> pass = () -> {
                    together.await(10, TimeUnit.SECONDS);
                    return replica.recordOnce();
                };
                passes.add(threads.submit(pass));
            }
            int runs = 0;
            for (Future<HistoryRecorder.Recorded> pass : passes) {
                runs += pass.get(30, TimeUnit.SECONDS).runs();
            }
            assertThat(runs).isEqualTo(40);
        } finally {
            threads.shutdownNow();
        }
        assertThat(history.points(WORKER, null, T0, T0.plusSeconds(30L * 40), 100)).hasSize(40);
        // healthy, then degraded and back 10 times for the worker, and the same for its disk
        List<Transition> transitions = states.transitions(WORKER, 1000);
        assertThat(transitions.stream().filter(t -> t.check() == null).count()).isEqualTo(1 + 2 * 10 - 1 + 1);
        assertThat(transitions).doesNotHaveDuplicates();
    }

    // --- states

    @Test
    void scheduledRunsMoveTheStateWithHysteresisAndNameTheirReason() {
        UUID first = scheduled(T0, diskError(WORKER));
        scheduled(T0.plusSeconds(30), diskError(WORKER));
        UUID third = scheduled(T0.plusSeconds(60), diskError(WORKER));
        scheduled(T0.plusSeconds(90), healthy(WORKER));
        recordAt(T0.plusSeconds(90));
        assertThat(state(WORKER).overall().status()).isEqualTo(WorkerStatus.UNHEALTHY);
        UUID recovered = scheduled(T0.plusSeconds(120), healthy(WORKER));
        recordAt(T0.plusSeconds(120));

        WorkerState state = state(WORKER);
        assertThat(state.overall().status()).isEqualTo(WorkerStatus.HEALTHY);
        assertThat(state.overall().since()).isEqualTo(T0.plusSeconds(120));
        assertThat(state.overall().consecutiveSuccesses()).isEqualTo(2);
        assertThat(state.checks()).containsOnlyKeys("cpu", "disk");
        assertThat(state.checks().get("cpu").status()).isEqualTo(WorkerStatus.HEALTHY);

        List<Transition> overall = states.transitions(WORKER, 100).reversed().stream()
                .filter(t -> t.check() == null).toList();
        assertThat(overall).extracting(Transition::to)
                .containsExactly(WorkerStatus.DEGRADED, WorkerStatus.UNHEALTHY, WorkerStatus.HEALTHY);
        assertThat(overall).extracting(Transition::taskId).containsExactly(first, third, recovered);
        assertThat(overall.getFirst().from()).isEqualTo(WorkerStatus.UNKNOWN);
        assertThat(overall.getFirst().reason().check()).isEqualTo("disk");
        assertThat(overall.getFirst().reason().value()).isEqualTo(97.1);
        assertThat(overall.getFirst().reason().threshold()).isEqualTo(95.0);
        assertThat(overall.getFirst().reason().status()).isEqualTo("error");
        assertThat(told).hasSize(states.transitions(WORKER, 100).size());
    }

    @Test
    void eachCheckHasAStateOfItsOwn() {
        for (int i = 0; i < 3; i++) {
            scheduled(T0.plusSeconds(30L * i), diskError(WORKER));
        }
        recordAt(T0.plusSeconds(60));

        WorkerState state = state(WORKER);
        assertThat(state.checks().get("disk").status()).isEqualTo(WorkerStatus.UNHEALTHY);
        assertThat(state.checks().get("cpu").status()).isEqualTo(WorkerStatus.HEALTHY);
        assertThat(states.transitions(WORKER, 100)).filteredOn(t -> "disk".equals(t.check()))
                .extracting(Transition::to).containsExactly(WorkerStatus.UNHEALTHY, WorkerStatus.DEGRADED);
    }

    @Test
    void onDemandReportsAreKeptButMoveNoState() {
        completed(T0, WORKER, diskError(WORKER), false);
        recordAt(T0);
        assertThat(states.states(List.of(WORKER))).isEmpty();
        assertThat(history.points(WORKER, null, T0, T0.plusSeconds(1), 10)).hasSize(1);
        assertThat(queries.uptime(WORKER).windows().get("24h")).isEqualTo(new Uptime(null, 0, 0));
    }

    @Test
    void aWorkerThatDidNotReportForTargetAllFailsItsRun() {
        StoredTask all = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ALL, "{}", T0,
                T0.plusSeconds(30), List.of(WORKER, "host-b-1")).scheduledBy(SCHEDULE);
        tasks.insert(all);
        tasks.addReport(all.taskId(), "host-b-1", T0, healthy("host-b-1"));
        tasks.complete(all.taskId(), null, null, T0.plusSeconds(30), "{\"status\": \"healthy\", \"reports\": ["
                + healthy("host-b-1") + "], \"expected_workers\": 2, \"missing_workers\": [\"" + WORKER + "\"]}");
        recordAt(T0.plusSeconds(30));

        assertThat(state(WORKER).overall().status()).isEqualTo(WorkerStatus.DEGRADED);
        assertThat(state(WORKER).checks()).isEmpty();
        assertThat(states.transitions(WORKER, 10).getFirst().reason().missing()).isTrue();
        assertThat(state("host-b-1").overall().status()).isEqualTo(WorkerStatus.HEALTHY);
        assertThat(queries.uptime(WORKER).windows().get("24h")).isEqualTo(new Uptime(0.0, 1, 1));
        assertThat(history.points(WORKER, null, T0, T0.plusSeconds(60), 10)).isEmpty();
    }

    @Test
    void aFailedTaskForOneWorkerIsAMissingRunAndAnExpiredTaskForAnyIsNone() {
        StoredTask mine = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.of(WORKER), "{}", T0,
                T0.plusSeconds(30), List.of()).scheduledBy(SCHEDULE);
        StoredTask any = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ANY, "{}", T0,
                T0.plusSeconds(30), List.of()).scheduledBy(SCHEDULE);
        tasks.insert(mine);
        tasks.insert(any);
        tasks.expire(mine.taskId(), T0.plusSeconds(30), "no worker took it");
        tasks.expire(any.taskId(), T0.plusSeconds(30), "no worker took it");

        assertThat(recordAt(T0.plusSeconds(30)).runs()).isEqualTo(1);
        assertThat(state(WORKER).overall().status()).isEqualTo(WorkerStatus.DEGRADED);
    }

    // --- buckets and uptime

    @Test
    void hourlyBucketsCountReportsByStatusWithMinAvgMax() {
        scheduled(T0.plusSeconds(10), report(WORKER, "healthy", 40, "ok"));
        scheduled(T0.plusSeconds(40), report(WORKER, "warning", 92, "warning"));
        scheduled(T0.plusSeconds(3600), report(WORKER, "error", 97, "error"));
        recordAt(T0.plusSeconds(3600));

        WorkerHistory.Buckets hours = (WorkerHistory.Buckets) queries.history(WORKER, "disk", T0.toString(),
                T0.plusSeconds(7200).toString(), "1h");
        assertThat(hours.buckets()).hasSize(2);
        Bucket first = hours.buckets().getFirst();
        assertThat(first.at()).isEqualTo(T0);
        assertThat(List.of(first.count(), first.ok(), first.warning(), first.error(), first.unknown()))
                .containsExactly(2, 1, 1, 0, 0);
        assertThat(first.min()).isEqualTo(40.0);
        assertThat(first.avg()).isEqualTo(66.0);
        assertThat(first.max()).isEqualTo(92.0);

        WorkerHistory.Buckets days = (WorkerHistory.Buckets) queries.history(WORKER, "disk",
                T0.minus(Duration.ofDays(1)).toString(), T0.plus(Duration.ofDays(1)).toString(), "1d");
        assertThat(days.buckets()).singleElement().satisfies(day -> {
            assertThat(day.at()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
            assertThat(day.count()).isEqualTo(3);
            assertThat(day.error()).isEqualTo(1);
            assertThat(day.avg()).isEqualTo(229.0 / 3);
            assertThat(day.max()).isEqualTo(97.0);
        });
        WorkerHistory.Buckets overall = (WorkerHistory.Buckets) queries.history(WORKER, null, T0.toString(),
                T0.plusSeconds(3600).toString(), "1h");
        assertThat(overall.buckets().getFirst().ok()).isEqualTo(1);
        assertThat(overall.buckets().getFirst().min()).isNull();
        WorkerHistory.Buckets overallDays = (WorkerHistory.Buckets) queries.history(WORKER, null, T0.toString(),
                T0.plusSeconds(7200).toString(), "1d");
        assertThat(overallDays.buckets()).singleElement().satisfies(day -> {
            assertThat(day.count()).isEqualTo(3);
            assertThat(day.max()).isNull();
        });
    }

    @Test
    void laterPassesAddToTheBucketsEarlierOnesMade() {
        scheduled(T0.plusSeconds(10), report(WORKER, "healthy", 40, "ok"));
        recordAt(T0.plusSeconds(10));
        scheduled(T0.plusSeconds(40), report(WORKER, "warning", 92, "warning"));
        scheduled(T0.plusSeconds(70), report(WORKER, "error", 30, "error"));
        recordAt(T0.plusSeconds(70));

        Bucket hour = ((WorkerHistory.Buckets) queries.history(WORKER, "disk", T0.toString(),
                T0.plusSeconds(3600).toString(), "1h")).buckets().getFirst();
        assertThat(List.of(hour.count(), hour.ok(), hour.warning(), hour.error(), hour.unknown()))
                .containsExactly(3, 1, 1, 1, 0);
        assertThat(List.of(hour.min(), hour.avg(), hour.max())).containsExactly(30.0, 54.0, 92.0);
        Bucket day = ((WorkerHistory.Buckets) queries.history(WORKER, null, T0.toString(),
                T0.plusSeconds(3600).toString(), "1d")).buckets().getFirst();
        assertThat(List.of(day.count(), day.ok(), day.warning(), day.error())).containsExactly(3, 1, 1, 1);
        assertThat(day.min()).isNull();
        assertThat(queries.uptime(WORKER).windows().get("24h"))
                .satisfies(uptime -> assertThat(List.of(uptime.runs(), uptime.failures())).containsExactly(3L, 1L));
    }

    @Test
    void uptimeCountsScheduledRunsAndFailuresPerWindow() throws SQLException {
        Instant now = Instant.parse("2026-11-22T10:30:00Z");
        List<Run> runs = new ArrayList<>();
        // one run a day for 400 days, failing on every 10th day; the latest now
        for (int day = 0; day < 400; day++) {
            runs.add(run(now.minus(Duration.ofDays(day)), day % 10 == 0 ? HealthStatus.ERROR : HealthStatus.HEALTHY));
        }
        try (Connection connection = database().dataSource().getConnection()) {
            history.insert(connection, runs);
        }
        clock.set(now);

        Map<String, Uptime> windows = queries.uptime(WORKER).windows();
        assertThat(windows).containsOnlyKeys("24h", "7d", "30d", "90d", "365d");
        assertThat(windows.get("24h")).isEqualTo(new Uptime(0.0, 1, 1));
        assertThat(windows.get("7d")).isEqualTo(new Uptime(1 - 1.0 / 7, 7, 1));
        assertThat(windows.get("30d")).isEqualTo(new Uptime(0.9, 30, 3));
        assertThat(windows.get("90d")).isEqualTo(new Uptime(0.9, 90, 9));
        assertThat(windows.get("365d").runs()).isEqualTo(365);
        assertThat(windows.get("365d").failures()).isEqualTo(37);
    }

    private static Run run(Instant at, HealthStatus status) {
        return new Run(UUID.randomUUID(), WORKER, at, true, status, Map.of(CheckName.DISK,
                new CheckPoint(status == HealthStatus.ERROR ? CheckStatus.ERROR : CheckStatus.OK, 50.0, 90.0, 95.0)));
    }

    @Test
    void retentionDeletesRawRunsAfterTheirRetentionAndBucketsAfterTheirs() throws SQLException {
        Instant now = Instant.parse("2026-11-22T10:30:00Z");
        List<Run> runs = new ArrayList<>();
        for (int day = 0; day < 410; day++) {
            runs.add(run(now.minus(Duration.ofDays(day)), HealthStatus.HEALTHY));
        }
        try (Connection connection = database().dataSource().getConnection()) {
            history.insert(connection, runs);
        }
        clock.set(now);

        assertThat(recorder.applyRetention()).isEqualTo((410 - 8) + 2 * 10 + 2 * 10);

        assertThat(history.points(WORKER, null, now.minus(Duration.ofDays(420)), now.plusSeconds(1), 1000))
                .extracting(Point::at).allMatch(at -> !at.isBefore(now.minus(Duration.ofDays(7))))
                .hasSize(8);
        List<Bucket> kept = history.hourly(WORKER, CheckName.DISK, now.minus(Duration.ofDays(420)), now.plusSeconds(1));
        assertThat(kept).hasSize(400);
        assertThat(history.daily(WORKER, null, now.minus(Duration.ofDays(420)), now.plusSeconds(1))).hasSize(400);
        assertThat(recorder.applyRetention()).isZero();
    }

    // --- queries

    @Test
    void historyQueriesRefuseWhatTheyCannotAnswerNamingTheParameter() {
        clock.set(T0);
        assertRefused(() -> queries.history(WORKER, "gpu", null, null, null), "check");
        assertRefused(() -> queries.history(WORKER, null, "yesterday", null, null), "from");
        assertRefused(() -> queries.history(WORKER, null, null, "2026-13-01T00:00:00Z", null), "to");
        assertRefused(() -> queries.history(WORKER, null, T0.toString(), T0.toString(), null), "from");
        assertRefused(() -> queries.history(WORKER, null, T0.minus(Duration.ofDays(8)).toString(), null, null), "from");
        assertRefused(() -> queries.history(WORKER, null, null, null, "5m"), "step");
        assertRefused(() -> queries.history(WORKER, null, T0.minus(Duration.ofDays(401)).toString(), null, "1d"),
                "from");
        assertThat(queries.history(WORKER, null, T0.minus(Duration.ofDays(400)).toString(), null, "1h"))
                .isInstanceOf(WorkerHistory.Buckets.class);
    }

    @Test
    void aRangeWithMorePointsThanTheLimitIsRefused() {
        WorkerHistory small = new WorkerHistory(history, new ApiConfig.History(Duration.ofDays(7), Duration.ofDays(400),
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(60), 1000, 2), clock);
        for (int i = 0; i < 3; i++) {
            scheduled(T0.plusSeconds(30L * i), healthy(WORKER));
        }
        recordAt(T0.plusSeconds(60));
        assertThatThrownBy(() -> small.history(WORKER, null, T0.toString(), T0.plusSeconds(61).toString(), null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("more than 2 points");
        assertThat(small.history(WORKER, null, T0.toString(), T0.plusSeconds(31).toString(), null))
                .isInstanceOf(WorkerHistory.Points.class);
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.field()).isEqualTo(field));
    }
}
