package dev.vitals.api.store;

import dev.vitals.model.task.Target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.model.task.TaskMessage;
import dev.vitals.model.task.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache of ended tasks over a real (embedded) store. */
class EndedTaskCacheTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:15:30.123Z");

    @TempDir
    static Path directory;

    private static Database database;
    private static JdbcTaskStore store;

    @BeforeAll
    static void openDatabase() {
        database = Database.open(H2TaskStoreTest.embeddedUrl(directory), 4, Duration.ofSeconds(5));
        store = new JdbcTaskStore(database.dataSource());
    }

    @AfterAll
    static void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    private static StoredTask stored(Instant createdAt) {
        StoredTask task = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ANY, "{}", createdAt,
                createdAt.plusSeconds(30), List.of());
        store.insert(task);
        return task;
    }

    @Test
    void anEndedTaskIsReadFromTheStoreOnceThenFromMemory() {
        EndedTaskCache cache = new EndedTaskCache(store, 100);
        StoredTask task = stored(T0);
        store.complete(task.taskId(), "w-1", null, T0.plusSeconds(1), "{\"status\":\"healthy\"}");

        StoredTask first = cache.find(task.taskId()).orElseThrow();
        store.delete(task.taskId()); // behind the cache's back: only memory can still answer

        assertThat(first.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(cache.find(task.taskId())).contains(first);
    }

    @Test
    void aTaskCompletedThroughTheCacheIsInMemoryWithoutARead() {
        EndedTaskCache cache = new EndedTaskCache(store, 100);
        StoredTask task = stored(T0);

        StoredTask completed = cache.completeByWorker(task.taskId(), "w-1", null, T0.plusSeconds(1),
                "{\"status\":\"healthy\"}").orElseThrow();
        store.delete(task.taskId()); // behind the cache's back: only memory can still answer

        assertThat(cache.find(task.taskId())).contains(completed);
    }

    @Test
    void aTaskNotEndedIsAlwaysReadFromTheStore() {
        EndedTaskCache cache = new EndedTaskCache(store, 100);
        StoredTask task = stored(T0);

        assertThat(cache.find(task.taskId())).hasValueSatisfying(t -> assertThat(t.status()).isEqualTo(TaskStatus.QUEUED));
        store.complete(task.taskId(), "w-1", null, T0.plusSeconds(1), "{\"status\":\"healthy\"}");

        assertThat(cache.find(task.taskId())).hasValueSatisfying(t -> assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED));
    }

    @Test
    void deletionsThroughTheCacheLeaveNothingInMemory() {
        EndedTaskCache cache = new EndedTaskCache(store, 100);
        StoredTask old = stored(T0.minus(Duration.ofDays(8)));
        StoredTask recent = stored(T0);
        StoredTask withdrawn = stored(T0);
        for (StoredTask task : List.of(old, recent, withdrawn)) {
            store.fail(task.taskId(), T0, "test");
            assertThat(cache.find(task.taskId())).isPresent();
        }

        assertThat(cache.delete(withdrawn.taskId())).isTrue();
        assertThat(cache.deleteCompletedBefore(T0.minus(Duration.ofDays(7)))).isGreaterThanOrEqualTo(1);

        assertThat(cache.find(withdrawn.taskId())).isEmpty();
        assertThat(cache.find(old.taskId())).isEmpty();
        assertThat(cache.find(recent.taskId())).hasValueSatisfying(t -> assertThat(t.status()).isEqualTo(TaskStatus.FAILED));
    }
}
