package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.GetResponse;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A task's life through the HTTP API, with a worker played by a plain AMQP client on a real broker. */
class ApiTaskLifecycleTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit);

    private static HttpCalls http;
    private static FakeWorker worker;

    @BeforeAll
    static void start() throws Exception {
        http = api.http();
        worker = api.fakeWorker("fake-worker-1");
    }

    private static UUID submit(String body) {
        HttpResponse<String> response = http.post("/api/v1/health-checks", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return UUID.fromString(json(response).get("task_id").asText());
    }

    private static JsonNode task(UUID taskId) {
        HttpResponse<String> response = http.get("/api/v1/health-checks/" + taskId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    @Test
    void postAnswers202WithLocationAndTheQueuedTask() {
        HttpResponse<String> response = http.post("/api/v1/health-checks", "{\"checks\": [\"cpu\", \"disk\"]}");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode task = json(response);
        assertThat(response.headers().firstValue("Location"))
                .contains("/api/v1/health-checks/" + task.get("task_id").asText());
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(task.get("task_id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(task.get("task_type").asText()).isEqualTo("health_check");
        assertThat(task.get("status").asText()).isEqualTo("queued");
        assertThat(task.get("target").asText()).isEqualTo("any");
        assertThat(task.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(task.get("started_at").isNull()).isTrue();
        assertThat(task.get("completed_at").isNull()).isTrue();
        assertThat(task.get("worker_id").isNull()).isTrue();
        assertThat(task.get("result").isNull()).isTrue();
        assertThat(task.get("error").isNull()).isTrue();
    }

    @Test
    void theTaskMessageCarriesTheContractProperties() throws Exception {
        UUID taskId = submit("{\"checks\": [\"disk\"], \"timeout_seconds\": 20}");

        GetResponse message = worker.take(taskId);
        worker.ack(message);

        assertThat(message.getProps().getMessageId()).isEqualTo(taskId.toString());
        assertThat(message.getProps().getType()).isEqualTo("health_check");
        assertThat(message.getProps().getContentType()).isEqualTo("application/json");
        assertThat(message.getProps().getDeliveryMode()).isEqualTo(2);
        assertThat(message.getProps().getExpiration()).isEqualTo("20000");
        JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(message.getBody());
        assertThat(body.get("task_id").asText()).isEqualTo(taskId.toString());
        assertThat(body.get("task_type").asText()).isEqualTo("health_check");
        assertThat(body.get("payload").toString()).isEqualTo("{\"checks\":[\"disk\"],\"timeout_seconds\":20}");
    }

    @Test
    void anEmptyBodyAsksForTheDefaults() {
        HttpResponse<String> response = http.post("/api/v1/health-checks", "", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json(response).get("target").asText()).isEqualTo("any");
    }

    @Test
    void aWorkerTakingAndReportingMakesTheTaskRunningThenCompletedWithTheReportVerbatim() {
        UUID taskId = submit("{}");
        worker.ack(worker.take(taskId));

        worker.started(taskId);
        await().atMost(Duration.ofSeconds(10)).until(() -> task(taskId).get("status").asText().equals("running"));
        assertThat(task(taskId).get("worker_id").asText()).isEqualTo("fake-worker-1");
        assertThat(task(taskId).get("started_at").asText()).isEqualTo("2026-11-22T10:15:31.000Z");

        String report = worker.report(taskId, "warning");
        worker.completed(report);
        await().atMost(Duration.ofSeconds(10)).until(() -> task(taskId).get("status").asText().equals("completed"));

        HttpResponse<String> response = http.get("/api/v1/health-checks/" + taskId);
        assertThat(response.body()).contains("\"result\":" + report);
        assertThat(json(response).get("completed_at").isNull()).isFalse();
        assertThat(json(response).get("error").isNull()).isTrue();
    }

    @Test
    void postWithWaitAnswers200WithTheFinishedTaskWhenTheWorkerAnswersInTime() {
        worker.purge();
        CompletableFuture<Void> answering = CompletableFuture.runAsync(() -> {
            GetResponse message = worker.takeNext();
            UUID taskId = UUID.fromString(message.getProps().getMessageId());
            worker.ack(message);
            worker.completed(worker.report(taskId, "healthy"));
        });

        HttpResponse<String> response = http.post("/api/v1/health-checks?wait=5", "{\"target\": \"any\"}");

        answering.join();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("completed");
        assertThat(json(response).get("result").get("status").asText()).isEqualTo("healthy");
        assertThat(response.headers().firstValue("Location")).isPresent();
    }

    @Test
    void postWithWaitAnswers202WhenNoWorkerAnswersInTime() {
        HttpResponse<String> response = http.post("/api/v1/health-checks?wait=1", "{}");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("status").asText()).isEqualTo("queued");
        worker.ack(worker.take(UUID.fromString(json(response).get("task_id").asText())));
    }

    @Test
    void getWithWaitWakesAsSoonAsTheTaskEnds() {
        UUID taskId = submit("{}");
        worker.ack(worker.take(taskId));
        CompletableFuture<HttpResponse<String>> waiting = http.getAsync("/api/v1/health-checks/" + taskId + "?wait=20");
        await().atMost(Duration.ofSeconds(5)).during(Duration.ofMillis(300)).until(() -> !waiting.isDone());

        long sent = System.nanoTime();
        worker.completed(worker.report(taskId, "healthy"));
        HttpResponse<String> response = waiting.join();
        Duration took = Duration.ofNanos(System.nanoTime() - sent);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("completed");
        assertThat(took).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aTaskFailedEventFailsTheTaskWithTheWorkersReason() {
        UUID taskId = submit("{}");
        worker.ack(worker.take(taskId));

        worker.failed(taskId, "cannot read /proc");

        await().atMost(Duration.ofSeconds(10)).until(() -> task(taskId).get("status").asText().equals("failed"));
        assertThat(task(taskId).get("error").asText()).isEqualTo("cannot read /proc");
        assertThat(task(taskId).get("result").isNull()).isTrue();
    }

    @Test
    void aRefusedTaskDeadLetteredWithAReasonFailsWithThatReason() {
        UUID taskId = submit("{}");

        worker.refuse(worker.take(taskId), "unknown task_type 'reboot'");

        await().atMost(Duration.ofSeconds(10)).until(() -> task(taskId).get("status").asText().equals("failed"));
        assertThat(task(taskId).get("error").asText()).isEqualTo("unknown task_type 'reboot'");
    }

    @Test
    void duplicateEventsChangeTheTaskOnce() {
        UUID taskId = submit("{}");
        worker.ack(worker.take(taskId));
        String first = worker.report(taskId, "warning");

        worker.started(taskId);
        worker.started(taskId);
        worker.completed(first);
        worker.completed(first.replace("\"duration_ms\": 2.40", "\"duration_ms\": 9.99"));
        worker.failed(taskId, "too late");

        await().atMost(Duration.ofSeconds(10)).until(() -> task(taskId).get("status").asText().equals("completed"));
        // The events of one task are applied in order, whatever becomes of the marker.
        UUID marker = submit("{}");
        worker.ack(worker.take(marker));
        worker.failed(marker, "marker");
        await().atMost(Duration.ofSeconds(10)).until(() -> task(marker).get("status").asText().equals("failed"));
        HttpResponse<String> response = http.get("/api/v1/health-checks/" + taskId);
        assertThat(response.body()).contains(first);
        assertThat(json(response).get("result").get("duration_ms").asDouble()).isEqualTo(2.40);
        assertThat(json(response).get("error").isNull()).isTrue();
    }

    @Test
    void anUnreadableEventIsDroppedAndLaterEventsStillApply() throws Exception {
        try (var channel = rabbit.newConnection().createChannel()) {
            channel.basicPublish("vitals.events", "task.completed", null, "not json".getBytes(StandardCharsets.UTF_8));
        }
        UUID taskId = submit("{}");
        worker.ack(worker.take(taskId));

        worker.completed(worker.report(taskId, "healthy"));

        await().atMost(Duration.ofSeconds(10)).until(() -> task(taskId).get("status").asText().equals("completed"));
    }

    @Test
    void listShowsRecentTasksNewestFirstAndFilters() {
        UUID older = submit("{}");
        UUID newer = submit("{}");
        worker.ack(worker.take(older));
        worker.ack(worker.take(newer));
        worker.failed(older, "boom");
        await().atMost(Duration.ofSeconds(10)).until(() -> task(older).get("status").asText().equals("failed"));

        JsonNode all = json(http.get("/api/v1/health-checks?limit=1000")).get("tasks");
        assertThat(all.findValuesAsText("task_id")).containsSubsequence(newer.toString(), older.toString());

        JsonNode failed = json(http.get("/api/v1/health-checks?status=failed")).get("tasks");
        assertThat(failed.findValuesAsText("task_id")).contains(older.toString()).doesNotContain(newer.toString());

        JsonNode limited = json(http.get("/api/v1/health-checks?limit=1")).get("tasks");
        assertThat(limited).hasSize(1);

        JsonNode future = json(http.get("/api/v1/health-checks?since=2999-01-01T00:00:00Z")).get("tasks");
        assertThat(future).isEmpty();
    }

    @Test
    void workersAreListedFromTheirHeartbeats() {
        worker.heartbeat();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode workers = json(http.get("/api/v1/workers")).get("workers");
            assertThat(workers.findValuesAsText("worker_id")).contains("fake-worker-1");
            JsonNode one = workers.get(0);
            assertThat(one.get("alive").asBoolean()).isTrue();
            assertThat(one.get("hostname").asText()).isEqualTo("fake-host");
            assertThat(one.get("last_status").asText()).isEqualTo("healthy");
            assertThat(one.has("last_seen")).isTrue();
            assertThat(one.has("started_at")).isTrue();
            assertThat(one.has("version")).isTrue();
        });
    }

    @Test
    void targetAllCompletesWithEveryLiveWorkersReport() {
        worker.heartbeat();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                json(http.get("/api/v1/workers")).get("workers").size() > 0);

        UUID taskId = submit("{\"target\": \"all\"}");
        worker.ack(worker.take(taskId));
        String report = worker.report(taskId, "warning");
        worker.completed(report);

        await().atMost(Duration.ofSeconds(10)).until(() -> task(taskId).get("status").asText().equals("completed"));
        JsonNode result = task(taskId).get("result");
        assertThat(result.get("status").asText()).isEqualTo("warning");
        assertThat(result.get("expected_workers").asInt()).isEqualTo(1);
        assertThat(result.get("missing_workers")).isEmpty();
        assertThat(http.get("/api/v1/health-checks/" + taskId).body()).contains("\"reports\":[" + report + "]");
    }
}
