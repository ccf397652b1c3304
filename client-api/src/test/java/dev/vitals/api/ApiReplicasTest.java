package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.api.support.TestApis;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two API replicas sharing one PostgreSQL store and one broker: any replica answers for any task, ?wait included. */
class ApiReplicasTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static Api a;
    private static Api b;
    private static FakeWorker worker;

    @BeforeAll
    static void start() throws Exception {
        // One PostgreSQL database shared by both replicas, as in a real deployment.
        a = Api.start(TestApis.config(rabbit.uri().toString(), postgres.jdbcUrl(), Map.of()));
        b = Api.start(TestApis.config(rabbit.uri().toString(), postgres.jdbcUrl(), Map.of()));
        await().atMost(Duration.ofSeconds(10)).until(() -> a.isBrokerConnected() && b.isBrokerConnected());
        worker = new FakeWorker(rabbit.newConnection(), "fake-worker-r");
    }

    @AfterAll
    static void stop() {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
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
        FakeWorker other = new FakeWorker(rabbit.newConnection(), "fleet-worker-r");
        other.heartbeat();

        for (Api replica : new Api[] {a, b}) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    json(new HttpCalls(replica.port()).get("/api/v1/workers?alive=true")).get("workers")
                            .findValuesAsText("worker_id")).contains("fleet-worker-r"));
        }
    }
}
