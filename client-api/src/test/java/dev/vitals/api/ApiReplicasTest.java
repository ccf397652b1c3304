package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two API replicas sharing one PostgreSQL store and one broker: any replica answers for any task, ?wait included. */
class ApiReplicasTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    /** One PostgreSQL database shared by both replicas, as in a real deployment. */
    @RegisterExtension
    static final ApiExtension replicas = ApiExtension.on(rabbit).store(postgres);

    private static Api a;
    private static Api b;
    private static FakeWorker worker;

    @BeforeAll
    static void start() throws Exception {
        a = replicas.api();
        b = replicas.start(Map.of());
        worker = replicas.fakeWorker("fake-worker-r");
    }

    @Test
    void aWaitOnOneReplicaWakesForATaskPostedOnTheOther() {
        HttpResponse<String> posted = new HttpCalls(a.port()).post("/api/v1/health-checks", "{}");
        UUID taskId = UUID.fromString(json(posted).get("task_id").asText());
        worker.ack(worker.take(taskId));
        CompletableFuture<HttpResponse<String>> waiting =
                new HttpCalls(b.port()).getAsync("/api/v1/health-checks/" + taskId + "?wait=20");
        await().atMost(Duration.ofSeconds(5)).during(Duration.ofMillis(300)).until(() -> !waiting.isDone());

        long sent = System.nanoTime();
        worker.completed(worker.report(taskId, "healthy"));
        HttpResponse<String> response = waiting.join();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("completed");
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void bothReplicasServeTheSameTask() {
        UUID taskId = UUID.fromString(json(new HttpCalls(b.port()).post("/api/v1/health-checks", "{}"))
                .get("task_id").asText());
        worker.ack(worker.take(taskId));
        worker.failed(taskId, "no /proc here");

        for (Api replica : new Api[] {a, b}) {
            await().atMost(Duration.ofSeconds(10)).until(() -> json(new HttpCalls(replica.port())
                    .get("/api/v1/health-checks/" + taskId)).get("status").asText().equals("failed"));
        }
    }

    @Test
    void bothReplicasSeeTheSameFleet() throws Exception {
        FakeWorker other = replicas.fakeWorker("fleet-worker-r");
        other.heartbeat();

        for (Api replica : new Api[] {a, b}) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    json(new HttpCalls(replica.port()).get("/api/v1/workers?alive=true")).get("workers")
                            .findValuesAsText("worker_id")).contains("fleet-worker-r"));
        }
    }
}
