package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker killed with SIGKILL while it holds many tasks: the broker hands them to another worker, every
 * accepted task ends completed, and a task reported twice (run by the dead worker and again by its
 * successor) is stored once.
 *
 * <p>A task is reported twice when its worker dies after reporting it and before the broker heard it
 * acknowledged. So that this happens for certain, and not only when the kill falls in that moment, the doomed
 * worker reaches the broker through a proxy that drops its acknowledgements: every task it reported comes
 * back to its successor.
 */
class WorkerKilledTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit).store(postgres);

    private static final int TASKS = 400;
    /** Tasks the doomed worker may hold unacknowledged: all it will ever get, its acknowledgements being lost. */
    private static final int PREFETCH = 300;

    @Test
    void tasksHeldByAKilledWorkerAreCompletedByAnotherAndStoredOnce() throws Exception {
        try (Connection tap = rabbit.newConnection(); AckDroppingProxy proxy = new AckDroppingProxy(rabbit.uri())) {
            String base = api.url();
            Rig.CompletedEvents completed = new Rig.CompletedEvents(tap);
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            IntStream.range(0, TASKS).parallel().forEach(i -> accepted.add(Rig.submit(base, "{}")));

            int completedAtKill;
            try (JavaProcess doomed = Rig.worker(proxy.uriFor(rabbit.uri()), "doomed", FreePorts.freePort(),
                    Map.of("vitals.worker.prefetch", Integer.toString(PREFETCH)))) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                        .until(() -> completed.total() >= 10);
                assertThat(doomed.kill()).as("exit code on SIGKILL").isEqualTo(137);
                completedAtKill = completed.total();
            }
            assertThat(completedAtKill).as("tasks reported before the kill; the rest of the %d it held were in hand",
                    PREFETCH).isLessThan(PREFETCH);
            assertThat(proxy.acksDropped()).as("acknowledgements of the doomed worker kept from the broker")
                    .isPositive();
            Set<String> reportedByTheDead = completed.reportedBy("doomed");
            assertThat(reportedByTheDead).as("tasks the doomed worker reported").hasSizeGreaterThanOrEqualTo(10);

            try (JavaProcess successor = Rig.worker(rabbit.uri(), "successor", FreePorts.freePort(), Map.of())) {
                await().atMost(Duration.ofSeconds(30)).until(() -> count("status = 'completed'") == TASKS
                        && completed.reportedBy("successor").containsAll(reportedByTheDead));
                assertThat(successor.terminate()).isZero();
            }

            assertThat(count("1 = 1")).as("tasks stored").isEqualTo(TASKS);
            assertThat(ids("SELECT task_id FROM tasks")).containsExactlyInAnyOrderElementsOf(accepted);
            assertThat(ids("SELECT task_id FROM task_reports GROUP BY task_id HAVING count(*) > 1"))
                    .as("tasks with more than one stored report").isEmpty();
            assertThat(ids("SELECT task_id FROM tasks WHERE worker_id = 'successor'"))
                    .as("tasks the successor took over").isNotEmpty();
            assertThat(completed.counts.keySet()).containsAll(accepted);
            List<String> reportedTwice = completed.counts.entrySet().stream().filter(e -> e.getValue() > 1)
                    .map(Map.Entry::getKey).toList();
            assertThat(reportedTwice).as("tasks reported twice").containsAll(reportedByTheDead);
            for (String twice : reportedTwice) {
                // One worker's report is kept as the task's result alone, from the worker the task names.
                assertThat(ids("SELECT task_id FROM tasks WHERE task_id = '" + twice + "' AND status = 'completed'"
                        + " AND result_json LIKE '%\"worker_id\":\"' || worker_id || '\"%'"))
                        .as("result stored for %s, reported by %s", twice, completed.reporters.get(twice))
                        .hasSize(1);
                assertThat(ids("SELECT task_id FROM task_reports WHERE task_id = '" + twice + "'"))
                        .as("second copies of the report of %s", twice).isEmpty();
            }
        }
    }

    private static int count(String condition) throws SQLException {
        try (var connection = DriverManager.getConnection(postgres.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM tasks WHERE " + condition)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static List<String> ids(String sql) throws SQLException {
        try (var connection = DriverManager.getConnection(postgres.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        }
    }
}
