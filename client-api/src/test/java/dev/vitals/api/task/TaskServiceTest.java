package dev.vitals.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vitals.api.messaging.TaskPublisher;
import dev.vitals.api.store.Database;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.store.StoredTask;
import dev.vitals.api.support.TestApis;
import dev.vitals.api.worker.WorkerDirectory;
import dev.vitals.api.worker.WorkerInfo;
import dev.vitals.broker.BrokerConnection;
import dev.vitals.broker.BrokerSettings;
import dev.vitals.broker.Topology;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.model.task.TaskRequest;
import dev.vitals.model.task.TaskStatus;
import dev.vitals.testing.RabbitMqExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Submitting tasks on a real broker and a real (embedded) store. */
class TaskServiceTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private static final WorkerDirectory NO_WORKERS = new WorkerDirectory() {
        @Override
        public List<WorkerInfo> workers() {
            return List.of();
        }

        @Override
        public Optional<WorkerInfo> find(String workerId) {
            return Optional.empty();
        }
    };

    @TempDir
    Path directory;

    private Database database;
    private JdbcTaskStore store;
    private ScheduledExecutorService timer;
    private ExecutorService blocking;
    private TaskWaiters waiters;
    private BrokerConnection connection;
    private TaskPublisher publisher;

    @BeforeEach
    void start() throws Exception {
        database = Database.open(TestApis.h2Url(directory), 4, Duration.ofSeconds(5));
        store = new JdbcTaskStore(database.dataSource());
        timer = Executors.newSingleThreadScheduledExecutor();
        blocking = Executors.newVirtualThreadPerTaskExecutor();
        waiters = new TaskWaiters(store, timer, blocking, Clock.systemUTC(), Duration.ofSeconds(1));
        BrokerSettings settings = BrokerSettings.from(TestApis.config(rabbit.uri().toString(), "unused", Map.of()));
        connection = BrokerConnection.open(settings, "task-service-test", () -> true);
        connection.declare(new Topology(settings));
        publisher = new TaskPublisher(VitalsJson.newMapper(), Duration.ofSeconds(5));
        publisher.start(connection);
    }

    @AfterEach
    void stop() {
        publisher.stop();
        connection.close();
        waiters.close();
        timer.shutdownNow();
        blocking.shutdown();
        database.close();
    }

    private TaskService service(TaskObserver observer) {
        return new TaskService(store, publisher, waiters, NO_WORKERS, Clock.systemUTC(), Duration.ofSeconds(30),
                blocking, observer);
    }

    @Test
    void aTaskConfirmedByTheBrokerIsAnsweredQueued() throws Exception {
        StoredTask task = service(TaskObserver.NONE).submit(TaskRequest.DEFAULT, "{}", Duration.ZERO)
                .get(5, TimeUnit.SECONDS);

        assertThat(task.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(store.find(task.taskId())).contains(task);
    }

    @Test
    void whatFailsAfterTheConfirmFailsTheAnswerInsteadOfLeavingItOpen() {
        TaskObserver failing = new TaskObserver() {
            @Override
            public void submitted(StoredTask task) {
                throw new IllegalStateException("the observer broke");
            }

            @Override
            public void ended(StoredTask task, TaskStatus status, java.time.Instant at) {
            }
        };

        CompletableFuture<StoredTask> answer = service(failing).submit(TaskRequest.DEFAULT, "{}", Duration.ofSeconds(10));

        assertThatThrownBy(() -> answer.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("the observer broke");
    }
}
