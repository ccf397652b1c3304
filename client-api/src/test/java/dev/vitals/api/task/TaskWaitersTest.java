package dev.vitals.api.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vitals.api.store.Database;
import dev.vitals.api.store.ForwardingTaskStore;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.store.StoredTask;
import dev.vitals.api.support.TestTasks;
import dev.vitals.model.task.TaskStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Waiters over a real (embedded) store, counting the store's reads. */
class TaskWaitersTest {

    @TempDir
    Path directory;

    private Database database;
    private CountingStore store;
    private ScheduledThreadPoolExecutor timer;
    private ExecutorService reads;
    private TaskWaiters waiters;

    @BeforeEach
    void start() {
        database = Database.open("jdbc:h2:file:" + directory.resolve("vitals")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", 4, Duration.ofSeconds(5));
        store = new CountingStore(new JdbcTaskStore(database.dataSource()));
        timer = new ScheduledThreadPoolExecutor(1);
        reads = Executors.newVirtualThreadPerTaskExecutor();
        waiters = new TaskWaiters(store, timer, reads, Clock.systemUTC(), Duration.ofSeconds(1));
    }

    @AfterEach
    void stop() throws InterruptedException {
        waiters.close();
        timer.shutdownNow();
        reads.shutdown();
        reads.awaitTermination(5, TimeUnit.SECONDS);
        database.close();
    }

    private StoredTask stored() {
        StoredTask task = TestTasks.queuedNow();
        store.insert(task);
        return task;
    }

    /** Completes the task in the store, as the event consumer does, and answers it as stored. */
    private StoredTask completed(StoredTask task, String report) {
        return store.completeByWorker(task.taskId(), "w-1", null, task.createdAt().plusMillis(5), report).orElseThrow();
    }

    @Test
    void aWaitBegunAtSubmitEndsWithTheTaskAsEndedWithoutReadingTheStore() throws Exception {
        StoredTask task = stored();
        CompletableFuture<StoredTask> waiting = waiters.awaitStored(task, Duration.ofSeconds(10));
        StoredTask completed = completed(task, "{\"status\":\"healthy\"}");

        waiters.ended(completed);

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(completed);
        assertThat(store.finds).hasValue(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> waiters.waiting() == 0);
    }

    @Test
    void aWaitThatEndsBeforeTheDeadlineNeedsNoWakeAtTheDeadline() {
        StoredTask task = stored(); // deadline in 30 s

        waiters.awaitStored(task, Duration.ofSeconds(10));
        assertThat(timer.getQueue()).hasSize(1); // the wait's end

        waiters.awaitStored(task, Duration.ofSeconds(40));
        assertThat(timer.getQueue()).hasSize(1 + 3); // its end, the deadline and a sweep later
    }

    @Test
    void aHintReadsTheTaskAfterAMoment() throws Exception {
        StoredTask task = stored();
        CompletableFuture<StoredTask> waiting = waiters.awaitStored(task, Duration.ofSeconds(10));
        store.complete(task.taskId(), "w-1", null, task.createdAt().plusMillis(5), "{\"status\":\"healthy\"}");

        waiters.hint(task.taskId());

        assertThat(waiting.get(5, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(store.finds).hasValue(1);
    }

    @Test
    void aHintFollowedByTheEndNeedsNoRead() throws Exception {
        StoredTask task = stored();
        CompletableFuture<StoredTask> waiting = waiters.awaitStored(task, Duration.ofSeconds(10));
        StoredTask ended = completed(task, "{}");
        // The end comes before the hint's delay is over, however slow the machine: the timer (one thread)
        // waits for it.
        CountDownLatch endTold = new CountDownLatch(1);
        timer.execute(() -> {
            try {
                endTold.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        waiters.hint(task.taskId());
        waiters.ended(ended);
        endTold.countDown();

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(ended);
        afterTheTimerAndTheReadsOf(TaskWaiters.HINT_DELAY_MILLIS);
        assertThat(store.finds).hasValue(0);
    }

    @Test
    void aCancelledWaitIsForgotten() {
        StoredTask task = stored();
        CompletableFuture<StoredTask> waiting = waiters.awaitStored(task, Duration.ofSeconds(10));
        assertThat(waiters.waiting()).isEqualTo(1);

        waiting.cancel(false);

        assertThat(waiters.waiting()).isZero();
    }

    @Test
    void aWaitOnATaskNotEndedInTimeEndsWithTheTaskAsItIs() throws Exception {
        StoredTask task = stored();

        StoredTask after = waiters.awaitStored(task, Duration.ofMillis(200)).get(5, TimeUnit.SECONDS);

        assertThat(after.status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(store.finds).hasValue(1);
    }

    /**
     * Returns once the timer has passed what was due within {@code millis} from now (run, or cancelled), and every
     * read handed on meanwhile has finished: what was scheduled has been done, so its effects can be counted.
     */
    private void afterTheTimerAndTheReadsOf(long millis) throws Exception {
        // One thread, running its tasks in the order they are due: this one comes after those due earlier.
        timer.schedule(() -> { }, millis, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
        reads.shutdown();
        assertThat(reads.awaitTermination(5, TimeUnit.SECONDS)).as("reads finished").isTrue();
    }

    /** The real store, counting reads by id. */
    private static final class CountingStore extends ForwardingTaskStore {
        final AtomicInteger finds = new AtomicInteger();

        CountingStore(JdbcTaskStore store) {
            super(store);
        }

        @Override
        public java.util.Optional<StoredTask> find(UUID taskId) {
            finds.incrementAndGet();
            return super.find(taskId);
        }
    }
}
