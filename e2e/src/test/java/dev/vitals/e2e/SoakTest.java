package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.PostgresServer;
import dev.vitals.testing.RabbitCluster;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A bounded soak, not part of the normal build (tag {@code soak}; run it with {@code bin/vitals soak}): steady
 * load on an API process (PostgreSQL store) with three worker processes, workers killed with SIGKILL and
 * restarted at random, the API killed with SIGKILL and restarted once, the broker closing every connection once,
 * the broker restarted once and PostgreSQL restarted once. Broker and database are servers of the soak's own (a
 * RabbitMQ node and a PostgreSQL server started for it), so restarting them disturbs nothing else on the machine.
 * At the end it prints how many tasks were accepted, completed, failed, expired, lost, duplicated and stuck, and
 * fails unless none was lost, duplicated or stuck.
 *
 * <p>{@code -Dvitals.soak.duration=3m} sets how long the load runs (default 3 minutes, at most
 * {@value #LONGEST_MINUTES} minutes: the test is given 10 more to settle and count).
 */
@Tag("soak")
@Timeout(value = SoakTest.LONGEST_MINUTES + 10, unit = TimeUnit.MINUTES)
class SoakTest {

    static final int LONGEST_MINUTES = 50;

    private static RabbitCluster broker;
    private static RabbitCluster.Node node;
    private static URI brokerUri;
    private static PostgresServer database;

    @BeforeAll
    static void startServers() {
        broker = RabbitCluster.start(1);
        node = broker.nodes().getFirst();
        broker.createVhost("soak");
        brokerUri = broker.uri(node, "soak");
        database = PostgresServer.start();
    }

    @AfterAll
    static void stopServers() {
        if (database != null) {
            database.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static final int WORKERS = 3;
    private static final int CLIENTS = 4;
    private static final Duration PACE = Duration.ofMillis(100);

    @Test
    void steadyLoadWithKilledWorkersAndRestartedServersLosesNothing() throws Exception {
        Duration duration = Duration.parse("PT" + System.getProperty("vitals.soak.duration", "3m").toUpperCase());
        assertThat(duration).as("vitals.soak.duration").isLessThanOrEqualTo(Duration.ofMinutes(LONGEST_MINUTES));
        Random random = new Random();
        Map<String, JavaProcess> workers = new ConcurrentHashMap<>();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger kills = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger unanswered = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        int port = FreePorts.freePort();
        JavaProcess[] api = {Rig.api(brokerUri, database.jdbcUrl(), port, "soak-api")};
        ConnectionFactory tapFactory = new ConnectionFactory();
        tapFactory.setUri(brokerUri);
        try (Connection tap = tapFactory.newConnection("soak-tap")) {
            String base = "http://127.0.0.1:" + port;
            Rig.awaitReady(base);
            Rig.CompletedEvents completedEvents = new Rig.CompletedEvents(tap);
            for (int i = 1; i <= WORKERS; i++) {
                startWorker(workers, "soak-w" + i);
            }
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                load.add(clients.submit(() -> {
                    while (running.get()) {
                        HttpResponse<String> response;
                        try {
                            response = Rig.post(base + "/api/v1/health-checks", "{}");
                        } catch (UncheckedIOException e) { // the API is down: nothing was promised
                            unanswered.incrementAndGet();
                            TimeUnit.MILLISECONDS.sleep(PACE.toMillis());
                            continue;
                        }
                        if (response.statusCode() == 202) {
                            accepted.add(Rig.json(response).path("task_id").asText());
                        } else {
                            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                            refused.incrementAndGet();
                        }
                        TimeUnit.MILLISECONDS.sleep(PACE.toMillis()); // pacing the load, not waiting for anything
                    }
                    return null;
                }));
            }

            Instant end = Instant.now().plus(duration);
            List<Fault> faults = new ArrayList<>(List.of(
                    new Fault("kill -9 the API", () -> {
                        api[0].kill();
                        api[0] = Rig.api(brokerUri, database.jdbcUrl(), port, "soak-api-restarted");
                        Rig.awaitReady(base);
                    }),
                    new Fault("the broker closes every connection",
                            () -> broker.closeConnections(node, "closed by the soak")),
                    new Fault("the broker restarted", () -> {
                        broker.stop(node);
                        broker.start(node);
                    }),
                    new Fault("PostgreSQL restarted", () -> {
                        database.stop();
                        TimeUnit.SECONDS.sleep(5);
                        database.startServer();
                    })));
            Duration faultEvery = duration.dividedBy(faults.size() + 1);
            Instant nextFault = Instant.now().plus(faultEvery);
            while (Instant.now().isBefore(end)) {
                TimeUnit.SECONDS.sleep(5 + random.nextInt(10)); // the chaos schedule
                if (!faults.isEmpty() && Instant.now().isAfter(nextFault)) {
                    Fault fault = faults.removeFirst();
                    System.out.println("soak: " + fault.name());
                    fault.action().run();
                    nextFault = nextFault.plus(faultEvery);
                    continue;
                }
                String victim = "soak-w" + (1 + random.nextInt(WORKERS));
                System.out.println("soak: kill -9 " + victim);
                workers.get(victim).kill();
                kills.incrementAndGet();
                startWorker(workers, victim);
            }
            assertThat(faults).as("faults the soak had no time for (make it longer)").isEmpty();
            running.set(false);
            for (Future<?> client : load) {
                client.get(60, TimeUnit.SECONDS);
            }

            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> count("status IN ('queued', 'running')") == 0);
            Map<String, Integer> byStatus = statuses();
            Set<String> stored = ids("SELECT task_id FROM tasks");
            long lost = accepted.stream().filter(id -> !stored.contains(id)).count();
            long duplicated = ids("SELECT task_id FROM task_reports GROUP BY task_id HAVING count(*) > 1").size();
            long stuck = count("status IN ('queued', 'running')");
            String figures = """
                    soak: %s of load, %d worker kills (SIGKILL), 1 API kill (SIGKILL), 1 broker connection fault, 1 broker
                    restart, 1 PostgreSQL restart
                    soak: accepted %d, refused with 503 %d, unanswered (API down) %d
                    soak: completed %d, failed %d, expired %d
                    soak: lost %d, duplicated %d, stuck %d
                    soak: task.completed events seen twice or more (redeliveries, stored once) %d
                    """.formatted(duration, kills.get(), accepted.size(), refused.get(), unanswered.get(),
                    byStatus.getOrDefault("completed", 0), byStatus.getOrDefault("failed", 0),
                    byStatus.getOrDefault("expired", 0), lost, duplicated, stuck, completedEvents.reportedTwice());
            System.out.print(figures);
            java.nio.file.Files.writeString(java.nio.file.Path.of("target", "soak-figures.txt"), figures);
            assertThat(lost).as("lost").isZero();
            assertThat(duplicated).as("duplicated").isZero();
            assertThat(stuck).as("stuck").isZero();
        } finally {
            running.set(false);
            clients.shutdownNow();
            workers.values().forEach(JavaProcess::close);
            api[0].close();
        }
    }

    /** A fault the soak brings about once. */
    private record Fault(String name, Action action) {
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private static void startWorker(Map<String, JavaProcess> workers, String workerId) throws Exception {
        JavaProcess worker = Rig.worker(brokerUri, workerId, FreePorts.freePort(), Map.of());
        workers.put(workerId, worker);
        Rig.awaitConsuming(worker);
    }

    private static long count(String condition) throws SQLException {
        try (var connection = DriverManager.getConnection(database.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM tasks WHERE " + condition)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Map<String, Integer> statuses() throws SQLException {
        try (var connection = DriverManager.getConnection(database.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT status, count(*) FROM tasks GROUP BY status")) {
            Map<String, Integer> counts = new HashMap<>();
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getInt(2));
            }
            return counts;
        }
    }

    private static Set<String> ids(String sql) throws SQLException {
        try (var connection = DriverManager.getConnection(database.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            Set<String> ids = new java.util.HashSet<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }
}
