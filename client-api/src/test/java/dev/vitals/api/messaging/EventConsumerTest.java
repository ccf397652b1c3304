package dev.vitals.api.messaging;

import dev.vitals.model.task.Target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.ApiConfig;
import dev.vitals.api.store.Database;
import dev.vitals.api.store.ForwardingTaskStore;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.store.JdbcWorkerStore;
import dev.vitals.api.store.StoredTask;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.TestApis;
import dev.vitals.api.support.TestTasks;
import dev.vitals.api.task.TaskObserver;
import dev.vitals.api.task.HeldStarts;
import dev.vitals.api.task.TaskUpdates;
import dev.vitals.api.task.TaskWaiters;
import dev.vitals.api.worker.WorkerRegistry;
import dev.vitals.broker.BrokerConnection;
import dev.vitals.broker.BrokerSettings;
import dev.vitals.broker.Topology;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.model.task.TaskStatus;
import dev.vitals.testing.RabbitMqExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The event consumer on a real broker and a real (embedded) store, counting the store's updates. */
class EventConsumerTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private static final Instant STARTED = Instant.parse("2026-11-22T10:15:31Z");

    @TempDir
    Path directory;

    private Database database;
    private CountingStore store;
    private ScheduledExecutorService timer;
    private ExecutorService blocking;
    private TaskWaiters waiters;
    private BrokerConnection connection;
    private EventConsumer consumer;
    private FakeWorker worker;

    @BeforeEach
    void start() throws Exception {
        database = Database.open(TestApis.h2Url(directory), 4, Duration.ofSeconds(5));
        store = new CountingStore(new JdbcTaskStore(database.dataSource()));
        timer = Executors.newSingleThreadScheduledExecutor();
        blocking = Executors.newVirtualThreadPerTaskExecutor();
        waiters = new TaskWaiters(store, timer, blocking, Clock.systemUTC(), Duration.ofSeconds(1));
        ObjectMapper mapper = VitalsJson.newMapper();
        TaskUpdates updates = new TaskUpdates(store, waiters, mapper, Clock.systemUTC(), TaskObserver.NONE);
        WorkerRegistry workers = new WorkerRegistry(new JdbcWorkerStore(database.dataSource()), Clock.systemUTC(),
                new ApiConfig.Workers(3, Duration.ofSeconds(5), Duration.ofHours(1)));
        BrokerSettings settings = BrokerSettings.from(TestApis.config(rabbit.uri().toString(), "unused", Map.of()));
        connection = BrokerConnection.open(settings, "event-consumer-test", () -> true);
        connection.declare(new Topology(settings));
        consumer = new EventConsumer("events-" + UUID.randomUUID(), "classic", updates,
                new HeldStarts(updates, timer, blocking), workers, mapper, timer, blocking);
        consumer.start(connection);
        worker = new FakeWorker(rabbit.newConnection(), "event-consumer-worker", settings);
    }

    @AfterEach
    void stop() {
        consumer.stop();
        connection.close();
        waiters.close();
        timer.shutdownNow();
        blocking.shutdown();
        database.close();
    }

    @Test
    void aStartFollowedByItsCompletionIsOneUpdateAndNoRead() throws Exception {
        StoredTask task = queued();
        CompletableFuture<StoredTask> waiting = waiters.awaitStored(task, Duration.ofSeconds(10));

        worker.started(task.taskId());
        worker.completed(worker.report(task.taskId(), "healthy"));

        StoredTask completed = waiting.get(5, TimeUnit.SECONDS);
        assertThat(completed.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(completed.startedAt()).isEqualTo(STARTED);
        assertThat(completed.workerId()).isEqualTo(worker.workerId());
        assertThat(store.markRunning).hasValue(0);
        assertThat(store.completions).hasValue(1);
        assertThat(store.finds).hasValue(0);
        assertThat(store.find(task.taskId())).contains(completed);
    }

    @Test
    void aStartAloneIsStoredAfterItsHold() {
        StoredTask task = queued();

        worker.started(task.taskId());

        await().atMost(Duration.ofSeconds(5)).until(() ->
                store.find(task.taskId()).orElseThrow().status() == TaskStatus.RUNNING);
        assertThat(store.find(task.taskId()).orElseThrow().startedAt()).isEqualTo(STARTED);
        assertThat(store.markRunning).hasValue(1);
    }

    @Test
    void aStartStoredAfterItsTaskEndedStillRecordsWhenItStarted() {
        StoredTask task = queued();

        // As when the completion went to another replica while this one held the start.
        worker.completed(worker.report(task.taskId(), "healthy"));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                store.find(task.taskId()).orElseThrow().status() == TaskStatus.COMPLETED);
        worker.started(task.taskId());

        await().atMost(Duration.ofSeconds(5)).until(() -> store.find(task.taskId()).orElseThrow().startedAt() != null);
        StoredTask completed = store.find(task.taskId()).orElseThrow();
        assertThat(completed.startedAt()).isEqualTo(STARTED);
        assertThat(completed.status()).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void aReportForATaskTheStoreDoesNotHoldIsKeptAsACompletedTask() {
        UUID unknown = UUID.randomUUID();
        String report = worker.report(unknown, "warning");

        worker.completed(report);

        await().atMost(Duration.ofSeconds(5)).until(() -> store.find(unknown).isPresent());
        StoredTask kept = store.find(unknown).orElseThrow();
        assertThat(kept.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(kept.workerId()).isEqualTo(worker.workerId());
        assertThat(kept.resultJson()).isEqualTo(report);
        assertThat(kept.target()).isEqualTo(Target.ANY);
        assertThat(kept.createdAt()).as("when the worker measured").isEqualTo(Instant.parse("2026-11-22T10:15:32Z"));
    }

    private StoredTask queued() {
        StoredTask task = TestTasks.queuedNow();
        store.insert(task);
        return task;
    }

    private static final class CountingStore extends ForwardingTaskStore {
        final AtomicInteger markRunning = new AtomicInteger();
        final AtomicInteger completions = new AtomicInteger();
        final AtomicInteger finds = new AtomicInteger();

        CountingStore(JdbcTaskStore store) {
            super(store);
        }

        @Override
        public boolean markRunning(UUID taskId, String workerId, Instant startedAt) {
            markRunning.incrementAndGet();
            return super.markRunning(taskId, workerId, startedAt);
        }

        @Override
        public boolean complete(UUID taskId, String workerId, Instant startedAt, Instant completedAt,
                                String resultJson) {
            completions.incrementAndGet();
            return super.complete(taskId, workerId, startedAt, completedAt, resultJson);
        }

        @Override
        public java.util.Optional<StoredTask> completeByWorker(UUID taskId, String workerId, Instant startedAt,
                                                               Instant completedAt, String reportJson) {
            completions.incrementAndGet();
            return super.completeByWorker(taskId, workerId, startedAt, completedAt, reportJson);
        }

        @Override
        public java.util.Optional<StoredTask> find(UUID taskId) {
            finds.incrementAndGet();
            return super.find(taskId);
        }
    }
}
