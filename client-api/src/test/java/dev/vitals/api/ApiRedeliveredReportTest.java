package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vitals.api.store.Database;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task redelivered after its first worker died before acknowledging it is run and reported a second time,
 * by another worker: the API keeps the first report and does not store the second.
 */
class ApiRedeliveredReportTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit).store(postgres);

    private static HttpCalls http;
    private static Database database;

    @BeforeAll
    static void start() {
        http = api.http();
        database = Database.open(postgres.jdbcUrl());
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aSecondReportFromAnotherWorkerIsRecognisedAndNotStored() throws Exception {
        FakeWorker first = api.fakeWorker("first-worker");
        FakeWorker second = api.fakeWorker("second-worker");
        HttpResponse<String> posted = http.post("/api/v1/health-checks", "{}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        UUID taskId = UUID.fromString(json(posted).get("task_id").asText());
        first.ack(first.take(taskId));

        first.completed(first.report(taskId, "healthy"));
        // Published on one channel, so they reach the API in this order.
        first.completed(second.report(taskId, "warning"));
        UUID marker = UUID.fromString(json(http.post("/api/v1/health-checks", "{}")).get("task_id").asText());
        first.ack(first.take(marker));
        first.failed(marker, "marker");

        // Events on the shared queue are applied in order: once the marker failed, both reports were seen.
        await().atMost(Duration.ofSeconds(10)).until(() ->
                json(http.get("/api/v1/health-checks/" + marker)).get("status").asText().equals("failed"));
        var task = json(http.get("/api/v1/health-checks/" + taskId));
        assertThat(task.get("status").asText()).isEqualTo("completed");
        assertThat(task.get("worker_id").asText()).isEqualTo("first-worker");
        assertThat(task.get("result").get("status").asText()).isEqualTo("healthy");
        // One worker's report is kept as the task's result alone; the report table holds those of target all.
        assertThat(new JdbcTaskStore(database.dataSource()).reports(taskId)).isEmpty();
    }
}
