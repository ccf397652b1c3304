package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.QueueInfo;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API's PostgreSQL database stops accepting connections and drops the open ones: new tasks are refused
 * with 503 naming the store, readiness says the store is down, and what workers report meanwhile stays on the
 * broker, unacknowledged, until the store is back and takes it.
 */
class StoreOutageTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit).store(postgres)
            .with("vitals.api.store.connection-timeout", "1s")
            .with("vitals.api.schedule.min-interval", "1s");

    private static HttpCalls http;
    private static FakeWorker worker;

    @BeforeAll
    static void start() throws Exception {
        http = api.http();
        worker = api.fakeWorker("store-outage-worker");
    }

    @Test
    void whileTheStoreIsAwayTasksAreRefusedAndReportsWaitOnTheBroker() throws Exception {
        HttpResponse<String> accepted = http.post("/api/v1/health-checks", "{}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        UUID taskId = UUID.fromString(json(accepted).get("task_id").asText());
        worker.ack(worker.take(taskId));
        String report = worker.report(taskId, "healthy");

        try (PostgresExtension.Outage outage = postgres.outage()) {
            long startedAt = System.nanoTime();
            HttpResponse<String> refused = http.post("/api/v1/health-checks", "{}");
            assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(Duration.ofSeconds(4));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(json(refused).get("detail").asText()).contains("store");

            HttpResponse<String> ready = http.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(json(ready).at("/checks/store/status").asText()).isEqualTo("down");
            assertThat(json(ready).at("/checks/broker/status").asText()).isEqualTo("up");

            worker.started(taskId);
            worker.completed(report);
            await().atMost(Duration.ofSeconds(15)).until(() -> rabbit.queue("vitals.api.events")
                    .map(queue -> queue.messagesReady() + queue.messagesUnacknowledged()).orElse(0L) == 2);
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> http.get("/health/ready").statusCode() == 200);
        await().atMost(Duration.ofSeconds(15)).until(() ->
                json(http.get("/api/v1/health-checks/" + taskId)).get("status").asText().equals("completed"));
        JsonNode task = json(http.get("/api/v1/health-checks/" + taskId));
        assertThat(task.get("worker_id").asText()).isEqualTo("store-outage-worker");
        assertThat(http.get("/api/v1/health-checks/" + taskId).body()).contains(report);
        assertThat(json(http.get("/api/v1/health-checks?limit=1000")).get("tasks"))
                .filteredOn(listed -> !listed.has("schedule")).as("no task left from the refused POST")
                .hasSize(1);
        await().atMost(Duration.ofSeconds(15)).until(() -> rabbit.queue("vitals.api.events")
                .map(QueueInfo::messagesReady).orElse(-1L) == 0);
    }

    @Test
    void schedulesRunAgainOnceTheStoreIsBack() throws Exception {
        HttpResponse<String> created = http.post("/api/v1/schedules", "{\"name\": \"outlives\", \"interval_seconds\": 1}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> runs("outlives") >= 1);

        try (PostgresExtension.Outage outage = postgres.outage()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/health/ready").statusCode() == 503);
            await().pollDelay(Duration.ofSeconds(2)).until(() -> true); // runs fall due while the store is away
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> http.get("/health/ready").statusCode() == 200);
        int before = runs("outlives");
        await().atMost(Duration.ofSeconds(10)).until(() -> runs("outlives") >= before + 2);
        http.send("DELETE", "/api/v1/schedules/outlives");
    }

    private static int runs(String schedule) {
        HttpResponse<String> response = http.get("/api/v1/health-checks?limit=1000&schedule=" + schedule);
        return response.statusCode() == 200 ? json(response).get("tasks").size() : -1;
    }
}
