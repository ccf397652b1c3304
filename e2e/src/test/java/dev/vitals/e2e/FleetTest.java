package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.RabbitMqExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet of three {@code bin/vitals worker} processes behind {@code bin/vitals api}: the registry, a task
 * for one chosen worker, a task for all of them, and a worker that dies. The tests run in order: the last
 * ones kill workers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @TempDir
    static Path data;

    private static final List<String> WORKERS = List.of("fleet-a", "fleet-b", "fleet-c");
    private static final Duration STARTUP = Duration.ofSeconds(60);
    /** Workers beat every second and count as gone after two missed beats. */
    private static final String WORKER_OPTS = "-Dvitals.worker.heartbeat-interval=1s -Dvitals.worker.own-queue-expires=10s";
    private static final String API_OPTS = "-Dvitals.api.workers.missed-heartbeats=2 -Dvitals.api.tasks.sweep-interval=200ms";

    private static final ObjectMapper json = new ObjectMapper();
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Launcher launcher;
    private static String api;
    private static final Map<String, Launcher.Command> workers = new LinkedHashMap<>();

    @BeforeAll
    static void startFleet() throws Exception {
        launcher = new Launcher();
        int apiPort = FreePorts.freePort();
        api = "http://127.0.0.1:" + apiPort;
        launcher.start("fleet-api", Map.of(
                "RABBITMQ_URI", rabbit.uri().toString(),
                "VITALS_API_PORT", Integer.toString(apiPort),
                "VITALS_DB_URL", "jdbc:h2:file:" + data.resolve("vitals")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "JAVA_OPTS", API_OPTS), "api");
        await().atMost(STARTUP).ignoreExceptions().until(() -> get("/health/ready").statusCode() == 200);
        for (String workerId : WORKERS) {
            workers.put(workerId, launcher.start(workerId, Map.of(
                    "RABBITMQ_URI", rabbit.uri().toString(),
                    "VITALS_WORKER_ID", workerId,
                    "HEALTH_PORT", Integer.toString(FreePorts.freePort()),
                    "JAVA_OPTS", WORKER_OPTS), "worker"));
        }
        await().atMost(STARTUP).until(() -> aliveWorkerIds().containsAll(WORKERS));
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (launcher != null) {
            launcher.close();
        }
    }

    @Test
    @Order(1)
    void registryListsEveryWorkerAliveWithItsDetails() throws Exception {
        JsonNode listed = body(get("/api/v1/workers")).path("workers");

        List<JsonNode> fleet = new ArrayList<>();
        listed.forEach(worker -> {
            if (WORKERS.contains(worker.path("worker_id").asText())) {
                fleet.add(worker);
            }
        });
        assertThat(fleet).hasSize(3).allSatisfy(worker -> {
            assertThat(worker.path("alive").asBoolean()).isTrue();
            assertThat(worker.path("hostname").asText()).isNotEmpty();
            assertThat(worker.path("version").asText()).isNotEmpty();
            assertThat(worker.path("started_at").asText()).endsWith("Z");
            assertThat(worker.path("last_seen").asText()).endsWith("Z");
        });
    }

    @Test
    @Order(2)
    void aTargetedTaskRunsOnTheChosenWorkerOnly() throws Exception {
        for (String workerId : WORKERS) {
            for (int i = 0; i < 3; i++) {
                JsonNode task = body(post("{\"target\": \"" + workerId + "\"}", 20));

                assertThat(task.path("status").asText()).isEqualTo("completed");
                assertThat(task.path("target").asText()).isEqualTo(workerId);
                assertThat(task.path("result").path("worker_id").asText()).isEqualTo(workerId);
            }
        }
    }

    @Test
    @Order(3)
    void aTaskForAllGetsOneReportFromEveryLiveWorker() throws Exception {
        JsonNode task = body(post("{\"target\": \"all\", \"checks\": [\"memory\"]}", 20));

        assertThat(task.path("status").asText()).isEqualTo("completed");
        JsonNode result = task.path("result");
        assertThat(result.path("expected_workers").asInt()).isEqualTo(3);
        assertThat(result.path("missing_workers")).isEmpty();
        assertThat(result.path("reports").findValuesAsText("worker_id")).containsExactlyInAnyOrderElementsOf(WORKERS);
        assertThat(result.path("status").asText()).isIn("healthy", "warning", "error");
    }

    @Test
    @Order(4)
    void anUnknownWorkerIsRefusedByName() throws Exception {
        HttpResponse<String> response = post("{\"target\": \"no-such-worker\"}", 0);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/problem+json"));
        assertThat(body(response).path("detail").asText()).contains("no-such-worker");
    }

    @Test
    @Order(5)
    void aKilledWorkerLeavesTheLiveSetAndTheNextTaskForAllExpectsTheOthers() throws Exception {
        workers.get("fleet-c").kill();

        await().atMost(Duration.ofSeconds(10)).until(() -> !aliveWorkerIds().contains("fleet-c"));
        JsonNode task = body(post("{\"target\": \"all\", \"checks\": [\"memory\"], \"timeout_seconds\": 5}", 20));
        JsonNode result = task.path("result");
        assertThat(task.path("status").asText()).isEqualTo("completed");
        assertThat(result.path("expected_workers").asInt()).isEqualTo(2);
        assertThat(result.path("reports").findValuesAsText("worker_id")).containsExactlyInAnyOrder("fleet-a", "fleet-b");

        HttpResponse<String> targeted = post("{\"target\": \"fleet-c\"}", 0);
        assertThat(targeted.statusCode()).isEqualTo(404);
        assertThat(body(targeted).path("detail").asText()).contains("fleet-c", "not alive");
    }

    @Test
    @Order(6)
    void theQueueOfAWorkerThatIsGoneIsRemoved() {
        await().atMost(Duration.ofSeconds(40)).until(() -> rabbit.queue("maintenance_tasks.worker.fleet-c").isEmpty());
        assertThat(rabbit.queue("maintenance_tasks.worker.fleet-a")).isPresent();
    }

    @Test
    @Order(7)
    void aWorkerThatStopsCleanlyLeavesTheLiveSetAtOnce() throws Exception {
        assertThat(workers.get("fleet-b").terminate(Duration.ofSeconds(15))).isZero();

        // At once: well within one missed heartbeat.
        await().atMost(Duration.ofMillis(1500)).until(() -> !aliveWorkerIds().contains("fleet-b"));
    }

    private static List<String> aliveWorkerIds() throws Exception {
        return body(get("/api/v1/workers?alive=true")).path("workers").findValuesAsText("worker_id");
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String body, int waitSeconds) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/health-checks?wait=" + waitSeconds))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(40))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        return json.readTree(response.body());
    }
}
