package dev.vitals.api.store;

import dev.vitals.model.task.Target;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vitals.model.task.TaskMessage;
import dev.vitals.model.task.TaskStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskStore} does, whatever database is behind it. A subclass supplies one migrated
 * database per class; each test starts from an empty store. Times are fixed values, never the clock.
 */
abstract class TaskStoreContract {

    /** Connections the subclass's database should allow, enough for the races below. */
    static final int POOL_SIZE = 8;

    private static final Instant T0 = Instant.parse("2026-11-22T10:15:30.123Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String REPORT_A = "{\"worker_id\": \"host-a-1\", \"status\": \"healthy\"}";
    private static final String REPORT_B = "{\"worker_id\": \"host-b-1\", \"status\": \"warning\"}";

    private TaskStore store;
    private WorkerStore workers;

    /** The database of this test class, migrated. */
    protected abstract Database database();

    @BeforeEach
    void emptyStore() throws SQLException {
        try (Connection connection = database().dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM task_reports");
            statement.executeUpdate("DELETE FROM tasks");
            statement.executeUpdate("DELETE FROM workers");
        }
        store = new JdbcTaskStore(database().dataSource());
        workers = new JdbcWorkerStore(database().dataSource());
    }

    // --- insert and find

    @Test
    void insertedTaskIsFoundAsItWasGiven() {
        StoredTask task = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ANY,
                "{\"checks\": [\"cpu\", \"disk\"]}", T0, T0.plus(TIMEOUT), List.of());

        store.insert(task);

        assertThat(store.find(task.taskId())).contains(task);
    }

    @Test
    void expectedWorkersAreKeptInOrder() {
        StoredTask task = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ALL, "{}",
                T0, T0.plus(TIMEOUT), List.of("host-b-1", "host-a-1", "host-c:2"));

        store.insert(task);

        assertThat(store.find(task.taskId())).get().extracting(StoredTask::expectedWorkers)
                .isEqualTo(List.of("host-b-1", "host-a-1", "host-c:2"));
    }

    @Test
    void timesAreKeptToTheMillisecond() {
        Instant precise = Instant.parse("2026-11-22T10:15:30.123456789Z");
        StoredTask task = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ANY, "{}",
                precise, precise.plus(TIMEOUT), List.of());

        store.insert(task);

        StoredTask found = store.find(task.taskId()).orElseThrow();
        assertThat(found.createdAt()).isEqualTo(Instant.parse("2026-11-22T10:15:30.123Z"));
        assertThat(found.deadline()).isEqualTo(Instant.parse("2026-11-22T10:16:00.123Z"));
    }

    @Test
    void findAnswersEmptyForAnUnknownTask() {
        assertThat(store.find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void aTaskKeepsTheScheduleThatCreatedIt() {
        StoredTask scheduled = queuedTask(T0).scheduledBy("fleet");
        StoredTask onDemand = queuedTask(T0);

        store.insert(scheduled);
        store.insert(onDemand);

        assertThat(store.find(scheduled.taskId())).get().extracting(StoredTask::schedule).isEqualTo("fleet");
        assertThat(store.find(onDemand.taskId())).get().extracting(StoredTask::schedule).isNull();
    }

    @Test
    void aTaskKeepsTheTraceItWasCreatedInThroughItsCompletion() {
        StoredTask traced = queuedTask(T0).tracedAs("0af7651916cd43dd8448eb211c80319c");

        store.insert(traced);
        assertThat(store.completeByWorker(traced.taskId(), "host-a-1", T0, T0.plusSeconds(1), REPORT_A)).get()
                .extracting(StoredTask::traceId).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(store.find(traced.taskId())).get().extracting(StoredTask::traceId)
                .isEqualTo("0af7651916cd43dd8448eb211c80319c");
        StoredTask untraced = queuedTask(T0);
        store.insert(untraced);
        assertThat(store.find(untraced.taskId())).get().extracting(StoredTask::traceId).isNull();
    }

    @Test
    void insertRefusesATaskThatIsNotQueued() {
        StoredTask queued = queuedTask(T0);
        StoredTask running = new StoredTask(queued.taskId(), queued.taskType(), queued.target(),
                TaskStatus.RUNNING, queued.requestJson(), queued.createdAt(), queued.deadline(), T0, null,
                "host-a-1", null, null, List.of(), null, null, false);

        assertThatThrownBy(() -> store.insert(running)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be queued");
        assertThat(store.find(running.taskId())).isEmpty();
    }

    @Test
    void insertRefusesATaskIdThatIsAlreadyStored() {
        StoredTask task = insertQueued(T0);

        assertThatThrownBy(() -> store.insert(task)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(task.taskId().toString());
    }

    @Test
    void insertRefusesAnExpectedWorkerIdWithAComma() {
        StoredTask task = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ALL, "{}",
                T0, T0.plus(TIMEOUT), List.of("host-a,host-b"));

        assertThatThrownBy(() -> store.insert(task)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host-a,host-b");
        assertThat(store.find(task.taskId())).isEmpty();
    }

    // --- insertReported

    @Test
    void insertReportedStoresACompletedTaskAsGiven() {
        StoredTask reported = reportedTask(UUID.randomUUID());

        assertThat(store.insertReported(reported)).isTrue();

        assertThat(store.find(reported.taskId())).contains(reported);
    }

    @Test
    void insertReportedLeavesATaskAlreadyStoredAsItIs() {
        StoredTask queued = insertQueued(T0);

        assertThat(store.insertReported(reportedTask(queued.taskId()))).isFalse();

        assertThat(store.find(queued.taskId())).contains(queued);
    }

    @Test
    void insertReportedRefusesATaskThatIsNotCompleted() {
        StoredTask queued = queuedTask(T0);

        assertThatThrownBy(() -> store.insertReported(queued)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be completed");
        assertThat(store.find(queued.taskId())).isEmpty();
    }

    private static StoredTask reportedTask(UUID taskId) {
        return new StoredTask(taskId, TaskMessage.HEALTH_CHECK, Target.ANY, TaskStatus.COMPLETED, "{}", T0,
                T0.plusSeconds(1), T0, T0.plusSeconds(1), "host-a-1", REPORT_A, null, List.of(), null, null, false);
    }

    // --- markRunning

    @Test
    void markRunningMovesAQueuedTaskToRunning() {
        StoredTask task = insertQueued(T0);

        assertThat(store.markRunning(task.taskId(), "host-a-1", T0.plusSeconds(1))).isTrue();

        StoredTask running = store.find(task.taskId()).orElseThrow();
        assertThat(running.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(running.workerId()).isEqualTo("host-a-1");
        assertThat(running.startedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void markRunningOnlyMovesQueuedTasks() {
        StoredTask task = insertQueued(T0);
        store.markRunning(task.taskId(), "host-a-1", T0.plusSeconds(1));

        assertThat(store.markRunning(task.taskId(), "host-b-1", T0.plusSeconds(2))).isFalse();

        StoredTask running = store.find(task.taskId()).orElseThrow();
        assertThat(running.workerId()).isEqualTo("host-a-1");
        assertThat(running.startedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void markRunningDoesNotReopenATerminalTask() {
        StoredTask task = insertQueued(T0);
        store.complete(task.taskId(), "host-a-1", null, T0.plusSeconds(2), REPORT_A);

        assertThat(store.markRunning(task.taskId(), "host-a-1", T0.plusSeconds(1))).isFalse();

        assertThat(store.find(task.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void markRunningAnswersFalseForAnUnknownTask() {
        assertThat(store.markRunning(UUID.randomUUID(), "host-a-1", T0)).isFalse();
    }

    // --- complete

    @Test
    void completeStoresTheResultTextAsGiven() {
        StoredTask task = insertQueued(T0);
        store.markRunning(task.taskId(), "host-a-1", T0.plusSeconds(1));
        String result = "{\"status\":\"warning\",  \"checks\": {\"disk\": {\"percent_used\": 91.90}}, \"a\": 1}";

        assertThat(store.complete(task.taskId(), "host-a-1", null, T0.plusSeconds(2), result)).isTrue();

        StoredTask completed = store.find(task.taskId()).orElseThrow();
        assertThat(completed.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(completed.resultJson()).isEqualTo(result);
        assertThat(completed.completedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(completed.error()).isNull();
    }

    @Test
    void completeMovesAQueuedTaskWhoseStartWasNotSeen() {
        StoredTask task = insertQueued(T0);

        assertThat(store.complete(task.taskId(), "host-a-1", null, T0.plusSeconds(2), REPORT_A)).isTrue();

        StoredTask completed = store.find(task.taskId()).orElseThrow();
        assertThat(completed.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(completed.workerId()).isEqualTo("host-a-1");
    }

    @Test
    void aLateStartIsRecordedOnceOnATaskThatEndedWithoutOne() {
        StoredTask task = insertQueued(T0);
        store.complete(task.taskId(), "host-a-1", null, T0.plusSeconds(2), REPORT_A);

        assertThat(store.recordLateStart(task.taskId(), T0.plusSeconds(1))).isTrue();
        assertThat(store.recordLateStart(task.taskId(), T0.plusMillis(1500))).isFalse();

        StoredTask found = store.find(task.taskId()).orElseThrow();
        assertThat(found.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(found.startedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void aLateStartLeavesAQueuedTaskToMarkRunning() {
        StoredTask task = insertQueued(T0);

        assertThat(store.recordLateStart(task.taskId(), T0.plusSeconds(1))).isFalse();

        assertThat(store.find(task.taskId()).orElseThrow().startedAt()).isNull();
    }

    @Test
    void completeRecordsTheStartGivenWithItOnlyWhenNoneIsRecorded() {
        StoredTask notStarted = insertQueued(T0);
        StoredTask started = insertQueued(T0);
        store.markRunning(started.taskId(), "host-a-1", T0.plusSeconds(1));

        store.complete(notStarted.taskId(), "host-a-1", T0.plusMillis(1500), T0.plusSeconds(2), REPORT_A);
        store.complete(started.taskId(), "host-a-1", T0.plusMillis(1500), T0.plusSeconds(2), REPORT_A);

        assertThat(store.find(notStarted.taskId()).orElseThrow().startedAt()).isEqualTo(T0.plusMillis(1500));
        assertThat(store.find(started.taskId()).orElseThrow().startedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void completeWithoutAWorkerKeepsTheWorkerThatStartedTheTask() {
        StoredTask task = insertQueued(T0);
        store.markRunning(task.taskId(), "host-a-1", T0.plusSeconds(1));

        store.complete(task.taskId(), null, null, T0.plusSeconds(2), "{\"reports\": []}");

        assertThat(store.find(task.taskId()).orElseThrow().workerId()).isEqualTo("host-a-1");
    }

    @Test
    void completeDoesNotOverwriteATerminalTask() {
        StoredTask task = insertQueued(T0);
        store.complete(task.taskId(), "host-a-1", null, T0.plusSeconds(2), REPORT_A);

        assertThat(store.complete(task.taskId(), "host-b-1", null, T0.plusSeconds(3), REPORT_B)).isFalse();

        StoredTask completed = store.find(task.taskId()).orElseThrow();
        assertThat(completed.resultJson()).isEqualTo(REPORT_A);
        assertThat(completed.workerId()).isEqualTo("host-a-1");
        assertThat(completed.completedAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void completeDoesNotRescueAnExpiredTask() {
        StoredTask task = insertQueued(T0);
        store.expireOverdue(task.deadline(), "no worker took it", 10);

        assertThat(store.complete(task.taskId(), "host-a-1", null, task.deadline().plusSeconds(1), REPORT_A)).isFalse();

        StoredTask expired = store.find(task.taskId()).orElseThrow();
        assertThat(expired.status()).isEqualTo(TaskStatus.EXPIRED);
        assertThat(expired.resultJson()).isNull();
    }

    @Test
    void completeAnswersFalseForAnUnknownTask() {
        assertThat(store.complete(UUID.randomUUID(), "host-a-1", null, T0, REPORT_A)).isFalse();
    }

    // --- completeByWorker

    @Test
    void completeByWorkerAnswersTheTaskAsStored() {
        StoredTask task = insertQueued(T0);

        StoredTask completed = store.completeByWorker(task.taskId(), "host-a-1", T0.plusMillis(1500),
                T0.plusSeconds(2), REPORT_A).orElseThrow();

        assertThat(completed).isEqualTo(store.find(task.taskId()).orElseThrow());
        assertThat(completed.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(completed.workerId()).isEqualTo("host-a-1");
        assertThat(completed.startedAt()).isEqualTo(T0.plusMillis(1500));
        assertThat(completed.completedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(completed.resultJson()).isEqualTo(REPORT_A);
        assertThat(completed.requestJson()).isEqualTo(task.requestJson());
        assertThat(completed.createdAt()).isEqualTo(task.createdAt());
    }

    @Test
    void completeByWorkerKeepsARecordedStart() {
        StoredTask task = insertQueued(T0);
        store.markRunning(task.taskId(), "host-a-1", T0.plusSeconds(1));

        StoredTask completed = store.completeByWorker(task.taskId(), "host-a-1", T0.plusMillis(1500),
                T0.plusSeconds(2), REPORT_A).orElseThrow();

        assertThat(completed.startedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void completeByWorkerLeavesATerminalTaskATaskForAllAndAnUnknownTask() {
        StoredTask ended = insertQueued(T0);
        store.complete(ended.taskId(), "host-a-1", null, T0.plusSeconds(2), REPORT_A);
        StoredTask forAll = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ALL, "{}", T0,
                T0.plus(TIMEOUT), List.of("host-a-1", "host-b-1"));
        store.insert(forAll);

        assertThat(store.completeByWorker(ended.taskId(), "host-b-1", null, T0.plusSeconds(3), REPORT_B)).isEmpty();
        assertThat(store.completeByWorker(forAll.taskId(), "host-a-1", null, T0.plusSeconds(3), REPORT_A)).isEmpty();
        assertThat(store.completeByWorker(UUID.randomUUID(), "host-a-1", null, T0, REPORT_A)).isEmpty();

        assertThat(store.find(ended.taskId()).orElseThrow().resultJson()).isEqualTo(REPORT_A);
        assertThat(store.find(forAll.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    // --- fail

    @Test
    void failRecordsWhenAndWhy() {
        StoredTask task = insertQueued(T0);
        store.markRunning(task.taskId(), "host-a-1", T0.plusSeconds(1));

        assertThat(store.fail(task.taskId(), T0.plusSeconds(2), "unknown check 'gpu'")).isTrue();

        StoredTask failed = store.find(task.taskId()).orElseThrow();
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.error()).isEqualTo("unknown check 'gpu'");
        assertThat(failed.completedAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void failDoesNotChangeATerminalTask() {
        StoredTask task = insertQueued(T0);
        store.complete(task.taskId(), "host-a-1", null, T0.plusSeconds(2), REPORT_A);

        assertThat(store.fail(task.taskId(), T0.plusSeconds(3), "too late")).isFalse();

        StoredTask completed = store.find(task.taskId()).orElseThrow();
        assertThat(completed.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(completed.error()).isNull();
    }

    // --- expire one

    @Test
    void expireRecordsWhenAndWhyBeforeTheDeadline() {
        StoredTask task = insertQueued(T0);

        assertThat(store.expire(task.taskId(), T0.plusSeconds(1), "no worker took the task within 1 s")).isTrue();

        StoredTask expired = store.find(task.taskId()).orElseThrow();
        assertThat(expired.status()).isEqualTo(TaskStatus.EXPIRED);
        assertThat(expired.error()).isEqualTo("no worker took the task within 1 s");
        assertThat(expired.completedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void expireDoesNotChangeATerminalTask() {
        StoredTask task = insertQueued(T0);
        store.fail(task.taskId(), T0.plusSeconds(1), "refused");

        assertThat(store.expire(task.taskId(), T0.plusSeconds(2), "too late")).isFalse();

        assertThat(store.find(task.taskId()).orElseThrow().error()).isEqualTo("refused");
    }

    @Test
    void expireAnswersFalseForAnUnknownTask() {
        assertThat(store.expire(UUID.randomUUID(), T0, "never was")).isFalse();
    }

    // --- reports

    @Test
    void reportsComeBackInTheOrderTheyWereStored() {
        StoredTask task = insertQueued(T0);

        assertThat(store.addReport(task.taskId(), "host-b-1", T0.plusSeconds(2), REPORT_B)).isTrue();
        assertThat(store.addReport(task.taskId(), "host-a-1", T0.plusSeconds(2), REPORT_A)).isTrue();

        assertThat(store.reports(task.taskId())).containsExactly(REPORT_B, REPORT_A);
    }

    @Test
    void secondReportFromSameWorkerIsNotStored() {
        StoredTask task = insertQueued(T0);
        store.addReport(task.taskId(), "host-a-1", T0.plusSeconds(1), REPORT_A);

        assertThat(store.addReport(task.taskId(), "host-a-1", T0.plusSeconds(2), REPORT_B)).isFalse();

        assertThat(store.reports(task.taskId())).containsExactly(REPORT_A);
    }

    @Test
    void reportsOfOneTaskAreNotThoseOfAnother() {
        StoredTask first = insertQueued(T0);
        StoredTask second = insertQueued(T0);
        store.addReport(first.taskId(), "host-a-1", T0.plusSeconds(1), REPORT_A);

        assertThat(store.addReport(second.taskId(), "host-a-1", T0.plusSeconds(1), REPORT_B)).isTrue();

        assertThat(store.reports(first.taskId())).containsExactly(REPORT_A);
        assertThat(store.reports(second.taskId())).containsExactly(REPORT_B);
    }

    @Test
    void reportForAnUnknownTaskIsNotStored() {
        UUID unknown = UUID.randomUUID();

        assertThat(store.addReport(unknown, "host-a-1", T0, REPORT_A)).isFalse();

        assertThat(store.reports(unknown)).isEmpty();
    }

    // --- expireOverdue

    @Test
    void expireOverdueMovesQueuedAndRunningTasksPastTheirDeadline() {
        StoredTask queued = insertQueued(T0);
        StoredTask running = insertQueued(T0);
        store.markRunning(running.taskId(), "host-a-1", T0.plusSeconds(1));
        Instant now = T0.plus(TIMEOUT).plusSeconds(1);

        assertThat(store.expireOverdue(now, "no worker took it in time", 10))
                .containsExactlyInAnyOrder(queued.taskId(), running.taskId());

        StoredTask expired = store.find(queued.taskId()).orElseThrow();
        assertThat(expired.status()).isEqualTo(TaskStatus.EXPIRED);
        assertThat(expired.error()).isEqualTo("no worker took it in time");
        assertThat(expired.completedAt()).isEqualTo(now);
        assertThat(store.find(running.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.EXPIRED);
    }

    @Test
    void expireOverdueExpiresATaskAtItsDeadline() {
        StoredTask task = insertQueued(T0);

        assertThat(store.expireOverdue(task.deadline(), "timeout", 10)).containsExactly(task.taskId());
    }

    @Test
    void expireOverdueLeavesTasksBeforeTheirDeadline() {
        StoredTask task = insertQueued(T0);

        assertThat(store.expireOverdue(task.deadline().minusMillis(1), "timeout", 10)).isEmpty();

        assertThat(store.find(task.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    void expireOverdueLeavesTerminalTasks() {
        StoredTask completed = insertQueued(T0);
        store.complete(completed.taskId(), "host-a-1", null, T0.plusSeconds(1), REPORT_A);
        StoredTask failed = insertQueued(T0);
        store.fail(failed.taskId(), T0.plusSeconds(1), "bad task");

        assertThat(store.expireOverdue(T0.plus(TIMEOUT).plusSeconds(1), "timeout", 10)).isEmpty();

        assertThat(store.find(completed.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(store.find(failed.taskId()).orElseThrow().error()).isEqualTo("bad task");
    }

    @Test
    void expireOverdueMovesEachTaskOnce() {
        StoredTask task = insertQueued(T0);
        Instant now = T0.plus(TIMEOUT);
        store.expireOverdue(now, "timeout", 10);

        assertThat(store.expireOverdue(now.plusSeconds(1), "later", 10)).isEmpty();

        StoredTask expired = store.find(task.taskId()).orElseThrow();
        assertThat(expired.completedAt()).isEqualTo(now);
        assertThat(expired.error()).isEqualTo("timeout");
    }

    @Test
    void expireOverdueTakesAtMostMaxTasksEarliestDeadlineFirst() {
        StoredTask third = insertQueued(T0.plusSeconds(2));
        StoredTask first = insertQueued(T0);
        StoredTask second = insertQueued(T0.plusSeconds(1));
        Instant now = T0.plus(TIMEOUT).plusSeconds(10);

        assertThat(store.expireOverdue(now, "timeout", 2)).containsExactlyInAnyOrder(first.taskId(), second.taskId());
        assertThat(store.expireOverdue(now, "timeout", 2)).containsExactly(third.taskId());
    }

    // --- list

    @Test
    void listIsNewestFirst() {
        StoredTask middle = insertQueued(T0.plusSeconds(1));
        StoredTask oldest = insertQueued(T0);
        StoredTask newest = insertQueued(T0.plusSeconds(2));

        assertThat(store.list(TaskQuery.newest(10))).extracting(StoredTask::taskId)
                .containsExactly(newest.taskId(), middle.taskId(), oldest.taskId());
    }

    @Test
    void listReturnsAtMostTheLimit() {
        insertQueued(T0);
        StoredTask middle = insertQueued(T0.plusSeconds(1));
        StoredTask newest = insertQueued(T0.plusSeconds(2));

        assertThat(store.list(TaskQuery.newest(2))).extracting(StoredTask::taskId)
                .containsExactly(newest.taskId(), middle.taskId());
    }

    @Test
    void listFiltersByStatus() {
        StoredTask running = insertQueued(T0);
        store.markRunning(running.taskId(), "host-a-1", T0.plusSeconds(1));
        insertQueued(T0.plusSeconds(1));

        assertThat(store.list(new TaskQuery(TaskStatus.RUNNING, null, null, 10)))
                .extracting(StoredTask::taskId).containsExactly(running.taskId());
    }

    @Test
    void listFiltersByWorker() {
        StoredTask byA = insertQueued(T0);
        store.markRunning(byA.taskId(), "host-a-1", T0.plusSeconds(1));
        StoredTask byB = insertQueued(T0.plusSeconds(1));
        store.markRunning(byB.taskId(), "host-b-1", T0.plusSeconds(2));
        insertQueued(T0.plusSeconds(2));

        assertThat(store.list(new TaskQuery(null, "host-b-1", null, 10)))
                .extracting(StoredTask::taskId).containsExactly(byB.taskId());
    }

    @Test
    void listFiltersByCreationTimeIncludingTheSinceInstant() {
        insertQueued(T0);
        StoredTask atSince = insertQueued(T0.plusSeconds(1));
        StoredTask after = insertQueued(T0.plusSeconds(2));

        assertThat(store.list(new TaskQuery(null, null, T0.plusSeconds(1), 10)))
                .extracting(StoredTask::taskId).containsExactly(after.taskId(), atSince.taskId());
    }

    @Test
    void listCombinesFilters() {
        StoredTask match = insertQueued(T0.plusSeconds(5));
        store.complete(match.taskId(), "host-a-1", null, T0.plusSeconds(6), REPORT_A);
        StoredTask tooOld = insertQueued(T0);
        store.complete(tooOld.taskId(), "host-a-1", null, T0.plusSeconds(1), REPORT_A);
        StoredTask otherWorker = insertQueued(T0.plusSeconds(5));
        store.complete(otherWorker.taskId(), "host-b-1", null, T0.plusSeconds(6), REPORT_B);
        StoredTask notCompleted = insertQueued(T0.plusSeconds(5));
        store.markRunning(notCompleted.taskId(), "host-a-1", T0.plusSeconds(6));

        assertThat(store.list(new TaskQuery(TaskStatus.COMPLETED, "host-a-1", T0.plusSeconds(1), 10)))
                .extracting(StoredTask::taskId).containsExactly(match.taskId());
    }

    @Test
    void listLeavesCanariesOutUnlessAskedForThemAlone() {
        StoredTask task = insertQueued(T0);
        StoredTask canary = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ANY, "{}",
                T0.plusSeconds(1), T0.plusSeconds(31), List.of()).asCanary();
        store.insert(canary);

        assertThat(store.list(TaskQuery.newest(10))).extracting(StoredTask::taskId).containsExactly(task.taskId());
        assertThat(store.list(new TaskQuery(null, null, null, null, 10, true)))
                .extracting(StoredTask::taskId).containsExactly(canary.taskId());
        assertThat(store.find(canary.taskId())).hasValueSatisfying(found -> assertThat(found.canary()).isTrue());
        assertThat(store.find(task.taskId())).hasValueSatisfying(found -> assertThat(found.canary()).isFalse());
    }

    // --- retention and delete

    @Test
    void deleteCompletedBeforeRemovesOldTasksAndTheirReports() {
        StoredTask old = insertQueued(T0);
        store.addReport(old.taskId(), "host-a-1", T0.plusSeconds(1), REPORT_A);
        store.complete(old.taskId(), "host-a-1", null, T0.plusSeconds(1), REPORT_A);
        StoredTask oldFailed = insertQueued(T0);
        store.fail(oldFailed.taskId(), T0.plusSeconds(1), "bad task");
        StoredTask recent = insertQueued(T0.plusSeconds(60));
        store.addReport(recent.taskId(), "host-a-1", T0.plusSeconds(61), REPORT_A);
        store.complete(recent.taskId(), "host-a-1", null, T0.plusSeconds(61), REPORT_A);

        assertThat(store.deleteCompletedBefore(T0.plusSeconds(60))).isEqualTo(2);

        assertThat(store.find(old.taskId())).isEmpty();
        assertThat(store.find(oldFailed.taskId())).isEmpty();
        assertThat(store.reports(old.taskId())).isEmpty();
        assertThat(store.find(recent.taskId())).isPresent();
        assertThat(store.reports(recent.taskId())).containsExactly(REPORT_A);
    }

    @Test
    void deleteCompletedBeforeKeepsTasksThatAreNotTerminal() {
        StoredTask queued = insertQueued(T0);
        StoredTask running = insertQueued(T0);
        store.markRunning(running.taskId(), "host-a-1", T0.plusSeconds(1));

        assertThat(store.deleteCompletedBefore(T0.plusSeconds(60))).isZero();

        assertThat(store.find(queued.taskId())).isPresent();
        assertThat(store.find(running.taskId())).isPresent();
    }

    @Test
    void deleteRemovesTheTaskAndItsReports() {
        StoredTask task = insertQueued(T0);
        store.addReport(task.taskId(), "host-a-1", T0.plusSeconds(1), REPORT_A);

        assertThat(store.delete(task.taskId())).isTrue();

        assertThat(store.find(task.taskId())).isEmpty();
        assertThat(store.reports(task.taskId())).isEmpty();
    }

    @Test
    void deleteAnswersFalseForAnUnknownTask() {
        insertQueued(T0);

        assertThat(store.delete(UUID.randomUUID())).isFalse();

        assertThat(store.list(TaskQuery.newest(10))).hasSize(1);
    }

    // --- readiness

    @Test
    void pingSucceedsWhileTheDatabaseIsReachable() {
        assertThatCode(store::ping).doesNotThrowAnyException();
    }

    // --- races between replicas

    @Test
    void racingExpiryAndCompletionHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 25; round++) {
            StoredTask task = insertQueued(T0);
            store.markRunning(task.taskId(), "host-a-1", T0.plusSeconds(1));
            Instant overdue = task.deadline().plusSeconds(1);

            List<Boolean> won = race(
                    () -> store.expireOverdue(overdue, "timeout", 10).contains(task.taskId()),
                    () -> store.complete(task.taskId(), "host-a-1", null, overdue, REPORT_A));

            assertThat(won).as("round %d: [expired, completed]", round).containsOnlyOnce(true);
            TaskStatus winner = won.get(0) ? TaskStatus.EXPIRED : TaskStatus.COMPLETED;
            assertThat(store.find(task.taskId()).orElseThrow().status()).isEqualTo(winner);
        }
    }

    @Test
    void racingCompletionsHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 25; round++) {
            StoredTask task = insertQueued(T0);

            List<Boolean> won = race(
                    () -> store.complete(task.taskId(), "host-a-1", null, T0.plusSeconds(1), REPORT_A),
                    () -> store.complete(task.taskId(), "host-b-1", null, T0.plusSeconds(1), REPORT_B));

            assertThat(won).as("round %d", round).containsOnlyOnce(true);
            assertThat(store.find(task.taskId()).orElseThrow().resultJson())
                    .isEqualTo(won.get(0) ? REPORT_A : REPORT_B);
        }
    }

    @Test
    void racingCompletionsByWorkersHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 25; round++) {
            StoredTask task = insertQueued(T0);

            List<Boolean> won = race(
                    () -> store.completeByWorker(task.taskId(), "host-a-1", null, T0.plusSeconds(1), REPORT_A).isPresent(),
                    () -> store.completeByWorker(task.taskId(), "host-b-1", null, T0.plusSeconds(1), REPORT_B).isPresent());

            assertThat(won).as("round %d", round).containsOnlyOnce(true);
            assertThat(store.find(task.taskId()).orElseThrow().resultJson())
                    .isEqualTo(won.get(0) ? REPORT_A : REPORT_B);
        }
    }

    @Test
    void racingExpiryAndCompletionByAWorkerHaveExactlyOneWinner() throws Exception {
        for (int round = 0; round < 25; round++) {
            StoredTask task = insertQueued(T0);
            Instant overdue = task.deadline().plusSeconds(1);

            List<Boolean> won = race(
                    () -> store.expireOverdue(overdue, "timeout", 10).contains(task.taskId()),
                    () -> store.completeByWorker(task.taskId(), "host-a-1", null, overdue, REPORT_A).isPresent());

            assertThat(won).as("round %d: [expired, completed]", round).containsOnlyOnce(true);
            TaskStatus winner = won.get(0) ? TaskStatus.EXPIRED : TaskStatus.COMPLETED;
            assertThat(store.find(task.taskId()).orElseThrow().status()).isEqualTo(winner);
        }
    }

    @Test
    void racingSweepsExpireEachTaskOnce() throws Exception {
        Set<UUID> overdue = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            overdue.add(insertQueued(T0.plusMillis(i)).taskId());
        }
        Instant now = T0.plus(TIMEOUT).plusSeconds(1);
        Callable<List<UUID>> sweep = () -> store.expireOverdue(now, "timeout", 1000);

        List<List<UUID>> swept = race(sweep, sweep, sweep, sweep);

        List<UUID> all = swept.stream().flatMap(List::stream).toList();
        assertThat(all).doesNotHaveDuplicates();
        assertThat(new HashSet<>(all)).isEqualTo(overdue);
    }

    @Test
    void racingRepeatsOfOneReportStoreItOnce() throws Exception {
        for (int round = 0; round < 25; round++) {
            StoredTask task = insertQueued(T0);
            Callable<Boolean> add = () -> store.addReport(task.taskId(), "host-a-1", T0.plusSeconds(1), REPORT_A);

            assertThat(race(add, add)).as("round %d", round).containsOnlyOnce(true);
            assertThat(store.reports(task.taskId())).containsExactly(REPORT_A);
        }
    }

    // --- helpers

    private StoredTask insertQueued(Instant createdAt) {
        StoredTask task = queuedTask(createdAt);
        store.insert(task);
        return task;
    }

    private static StoredTask queuedTask(Instant createdAt) {
        return StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ANY, "{}", createdAt,
                createdAt.plus(TIMEOUT), List.of());
    }

    /** Runs the actions on their own threads, released together; their results in the same order. */
    @SafeVarargs
    private static <T> List<T> race(Callable<T>... actions) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(actions.length);
        CyclicBarrier start = new CyclicBarrier(actions.length);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> action : actions) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return action.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(30, SECONDS));
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }

    // --- worker registry (the same database, so the same contract)

    private static StoredWorker worker(String id, Instant lastSeen, dev.vitals.model.HealthStatus status, boolean stopped) {
        return new StoredWorker(id, "host-" + id, "1.0.0", T0.minusSeconds(60), lastSeen, Duration.ofSeconds(5),
                status, stopped);
    }

    @Test
    void aHeartbeatRegistersAWorkerAndTheNextUpdatesIt() {
        workers.seen(worker("w1", T0, null, false));
        workers.seen(worker("w1", T0.plusSeconds(5), dev.vitals.model.HealthStatus.WARNING, false));

        assertThat(workers.find("w1")).hasValueSatisfying(w -> {
            assertThat(w.lastSeen()).isEqualTo(T0.plusSeconds(5));
            assertThat(w.lastStatus()).isEqualTo(dev.vitals.model.HealthStatus.WARNING);
            assertThat(w.hostname()).isEqualTo("host-w1");
            assertThat(w.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
            assertThat(w.startedAt()).isEqualTo(T0.minusSeconds(60));
        });
    }

    @Test
    void aHeartbeatWithoutStatusKeepsTheLastOne() {
        workers.seen(worker("w1", T0, dev.vitals.model.HealthStatus.ERROR, false));
        workers.seen(worker("w1", T0.plusSeconds(5), null, false));

        assertThat(workers.find("w1").orElseThrow().lastStatus()).isEqualTo(dev.vitals.model.HealthStatus.ERROR);
    }

    @Test
    void aReportUpdatesTheLastStatusOfAKnownWorkerOnly() {
        workers.seen(worker("w1", T0, null, false));

        workers.reported("w1", dev.vitals.model.HealthStatus.HEALTHY);
        workers.reported("nobody", dev.vitals.model.HealthStatus.ERROR);

        assertThat(workers.find("w1").orElseThrow().lastStatus()).isEqualTo(dev.vitals.model.HealthStatus.HEALTHY);
        assertThat(workers.find("nobody")).isEmpty();
    }

    @Test
    void seenSinceListsRecentWorkersByIdAndForgettingRemovesSilentOnes() {
        workers.seen(worker("w2", T0, null, false));
        workers.seen(worker("w1", T0.plusSeconds(1), null, true));
        workers.seen(worker("old", T0.minusSeconds(3600), null, false));

        assertThat(workers.seenSince(T0.minusSeconds(10))).extracting(StoredWorker::workerId).containsExactly("w1", "w2");
        assertThat(workers.forgetSilentSince(T0.minusSeconds(10))).isEqualTo(1);
        assertThat(workers.find("old")).isEmpty();
    }

    @Test
    void aliveMeansNotStoppedAndHeardWithinTheMissedHeartbeats() {
        StoredWorker seen = worker("w1", T0, null, false);

        assertThat(seen.isAlive(T0.plusSeconds(15), 3)).isTrue();
        assertThat(seen.isAlive(T0.plusSeconds(16), 3)).isFalse();
        assertThat(worker("w2", T0, null, true).isAlive(T0, 3)).isFalse();
    }

    @Test
    void replicasRacingToRegisterTheSameWorkerLeaveOneRow() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> racing = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Instant seenAt = T0.plusMillis(i);
                racing.add(pool.submit(() -> workers.seen(worker("racer", seenAt, null, false))));
            }
            for (java.util.concurrent.Future<?> each : racing) {
                each.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(workers.seenSince(T0.minusSeconds(1))).extracting(StoredWorker::workerId).containsExactly("racer");
    }
}
