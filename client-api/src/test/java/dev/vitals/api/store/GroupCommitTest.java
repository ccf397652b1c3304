package dev.vitals.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vitals.testing.PostgresExtension;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Writes of concurrent callers committed together, on the embedded database and on PostgreSQL. */
class GroupCommitTest {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final int QUEUED = 10;

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void writesQueuedWhileABatchCommitsAreCommittedTogether(String database) throws Exception {
        try (Database store = open(database)) {
            AtomicInteger connections = new AtomicInteger();
            GroupCommit writes = new GroupCommit(counting(store.dataSource(), connections, new AtomicBoolean()));
            List<Integer> answers = runQueuedBehindABlockedWrite(writes, id -> insert(writes, id), () -> { });

            assertThat(answers).containsExactlyInAnyOrder(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
            assertThat(ids(store)).hasSize(QUEUED + 1);
            assertThat(connections).as("transactions: the blocked write's, then one for all queued").hasValue(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aFailingWriteFailsAloneAndTheOthersOfItsBatchAreCommitted(String database) throws Exception {
        try (Database store = open(database)) {
            GroupCommit writes = new GroupCommit(store.dataSource());
            insert(writes, 1_000);

            List<Integer> answers = runQueuedBehindABlockedWrite(writes,
                    id -> id == 5 ? insert(writes, 1_000) : insert(writes, id), () -> { });

            assertThat(answers).filteredOn(answer -> answer == -1).as("failed writes").hasSize(1);
            assertThat(ids(store)).hasSize(QUEUED + 1).contains(1_000).doesNotContain(5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aBatchWithoutADatabaseFailsAtOnceWithoutTryingEachWrite(String database) throws Exception {
        try (Database store = open(database)) {
            AtomicInteger connections = new AtomicInteger();
            AtomicBoolean down = new AtomicBoolean();
            GroupCommit writes = new GroupCommit(counting(store.dataSource(), connections, down));

            List<Integer> answers = runQueuedBehindABlockedWrite(writes, id -> insert(writes, id),
                    () -> down.set(true));

            assertThat(answers).as("the blocked write, then the queued ones")
                    .containsExactly(1, -2, -2, -2, -2, -2, -2, -2, -2, -2, -2);
            assertThat(connections).as("connections asked for: the blocked write's, then one for the batch")
                    .hasValue(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aWriteAloneIsCommittedAtOnce(String database) throws Exception {
        try (Database store = open(database)) {
            GroupCommit writes = new GroupCommit(store.dataSource());

            assertThat(insert(writes, 7)).isEqualTo(1);

            assertThat(ids(store)).containsExactly(7);
            assertThatThrownBy(() -> insert(writes, 7)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cannot insert 7: ");
        }
    }

    /**
     * Holds the lock with a write (id 0) that waits until {@value #QUEUED} more writes (ids 1 to 10) are
     * queued behind it, runs {@code beforeRelease}, then lets it go.
     *
     * @return what each write answered, the blocked one first; -1 for a failure, -2 for the store unavailable
     */
    private static List<Integer> runQueuedBehindABlockedWrite(GroupCommit writes, Writer queued,
                                                              Runnable beforeRelease) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            Future<Integer> blocked = callers.submit(() -> writes.run("blocked write", connection -> {
                awaitQuietly(release);
                return insert(connection, 0);
            }));
            await().atMost(Duration.ofSeconds(5)).until(writes::isCommitting);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int id = 1; id <= QUEUED; id++) {
                int written = id;
                answers.add(callers.submit(() -> {
                    try {
                        return queued.write(written);
                    } catch (IllegalArgumentException e) {
                        return -1;
                    } catch (StoreUnavailableException e) {
                        return -2;
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> writes.queuedWrites() == QUEUED);
            beforeRelease.run();
            release.countDown();
            List<Integer> results = new ArrayList<>(List.of(blocked.get(10, TimeUnit.SECONDS)));
            for (Future<Integer> answer : answers) {
                results.add(answer.get(10, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            callers.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Writer {
        int write(int id) throws Exception;
    }

    private static int insert(GroupCommit writes, int id) {
        return writes.run("insert " + id, connection -> insert(connection, id));
    }

    private static int insert(Connection connection, int id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO written (id) VALUES (?)")) {
            statement.setInt(1, id);
            return statement.executeUpdate();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Database open(String database) throws SQLException {
        Database store = Database.open(database.equals("h2") ? H2TaskStoreTest.embeddedUrl(directory)
                : postgres.jdbcUrl(), 4, Duration.ofSeconds(5));
        try (Connection connection = store.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS written");
            statement.execute("CREATE TABLE written (id INT PRIMARY KEY)");
        }
        return store;
    }

    private static List<Integer> ids(Database store) throws SQLException {
        try (Connection connection = store.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM written ORDER BY id")) {
            List<Integer> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getInt(1));
            }
            return ids;
        }
    }

    /** {@code dataSource}, counting the connections asked of it, and refusing them while {@code down}. */
    private static DataSource counting(DataSource dataSource, AtomicInteger connections, AtomicBoolean down) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        connections.incrementAndGet();
                        if (down.get()) {
                            throw new java.sql.SQLTransientConnectionException("the database is down", "08001");
                        }
                    }
                    try {
                        return method.invoke(dataSource, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
