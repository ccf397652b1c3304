package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.store.StoredTask;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskMessage;
import dev.vitals.testing.RabbitMqExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker's state end to end: scheduled tasks (stored as a schedule's run stores them) reported by a worker over
 * the broker, recorded by the API, and read back through {@code GET /api/v1/workers/{id}} and its transitions.
 */
class ApiWorkerStateTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit)
            .with("vitals.api.history.settle", "0s").with("vitals.api.history.record-interval", "100ms");

    private static JdbcTaskStore tasks;
    private static HttpCalls http;

    @BeforeAll
    static void openStore() {
        tasks = api.taskStore();
        http = api.http();
    }

    /** A report whose disk is at {@code disk} percent, graded against 90 and 95. */
    static String report(UUID taskId, String workerId, double disk) {
        String diskStatus = disk >= 95 ? "error" : disk >= 90 ? "warning" : "ok";
        String status = diskStatus.equals("ok") ? "healthy" : diskStatus;
        return "{\"task_id\": \"" + taskId + "\", \"worker_id\": \"" + workerId + "\", \"hostname\": \"fake-host\","
                + " \"timestamp\": \"2026-11-22T10:15:32.000Z\", \"duration_ms\": 2.4, \"status\": \"" + status + "\","
                + " \"checks\": {\"cpu\": {\"status\": \"ok\", \"percent_used\": 12.5, \"logical_cpus\": 2, \"warning\": 90,"
                + " \"error\": 95}, \"disk\": {\"status\": \"" + diskStatus + "\", \"percent_used\": " + disk
                + ", \"warning\": 90, \"error\": 95}}, \"uptime_seconds\": 86400}";
    }

    /** A schedule's run for {@code worker}, stored as the schedule stores it, and reported over the broker. */
    static UUID scheduledRun(JdbcTaskStore tasks, HttpCalls http, FakeWorker worker, double disk) {
        UUID taskId = scheduledTask(tasks, worker.workerId(), Duration.ofSeconds(30));
        worker.completed(report(taskId, worker.workerId(), disk));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                json(http.get("/api/v1/health-checks/" + taskId)).path("status").asText().equals("completed"));
        return taskId;
    }

    static UUID scheduledTask(JdbcTaskStore tasks, String workerId, Duration timeout) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID taskId = UUID.randomUUID();
        tasks.insert(StoredTask.queued(taskId, TaskMessage.HEALTH_CHECK, Target.of(workerId), "{}", now,
                now.plus(timeout), List.of()).scheduledBy("every-30s"));
        return taskId;
    }

    private JsonNode runAndRead(FakeWorker worker, double disk) {
        UUID taskId = scheduledRun(tasks, http, worker, disk);
        String path = "/api/v1/workers/" + worker.workerId();
        Instant ended = Instant.parse(json(http.get("/api/v1/health-checks/" + taskId)).path("completed_at").asText());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode lastRun = json(http.get(path)).path("state").path("last_run_at");
            return lastRun.isTextual() && !Instant.parse(lastRun.asText()).isBefore(ended);
        });
        return json(http.get(path)).path("state");
    }

    @Test
    void aDiskInErrorDegradesThenMakesUnhealthyAndOnlyTwoGoodRunsRecover() throws Exception {
        FakeWorker worker = api.fakeWorker("state-worker-1");
        worker.heartbeat();
        String path = "/api/v1/workers/" + worker.workerId();
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(path).statusCode() == 200);
        assertThat(json(http.get(path)).path("state").path("status").asText()).isEqualTo("unknown");

        assertThat(runAndRead(worker, 97.1).path("status").asText()).isEqualTo("degraded");
        assertThat(runAndRead(worker, 97.1).path("status").asText()).isEqualTo("degraded");
        JsonNode unhealthy = runAndRead(worker, 97.1);
        assertThat(unhealthy.path("status").asText()).isEqualTo("unhealthy");
        assertThat(unhealthy.path("consecutive_failures").asInt()).isEqualTo(3);
        assertThat(unhealthy.path("checks").path("disk").path("status").asText()).isEqualTo("unhealthy");
        assertThat(unhealthy.path("checks").path("cpu").path("status").asText()).isEqualTo("healthy");
        assertThat(runAndRead(worker, 50).path("status").asText()).isEqualTo("unhealthy");
        JsonNode healthy = runAndRead(worker, 50);
        assertThat(healthy.path("status").asText()).isEqualTo("healthy");
        assertThat(healthy.path("flapping").asBoolean()).isFalse();

        JsonNode transitions = json(http.get(path + "/transitions")).path("transitions");
        List<String> overall = new ArrayList<>();
        for (JsonNode transition : transitions) {
            if (transition.path("check").isNull()) {
                overall.addFirst(transition.path("from").asText() + "->" + transition.path("to").asText());
            }
        }
        assertThat(overall).containsExactly("unknown->degraded", "degraded->unhealthy", "unhealthy->healthy");
        JsonNode degraded = transitions.get(transitions.size() - 1);
        assertThat(degraded.path("reason").path("check").asText()).isEqualTo("disk");
        assertThat(degraded.path("reason").path("value").asDouble()).isEqualTo(97.1);
        assertThat(degraded.path("reason").path("threshold").asDouble()).isEqualTo(95.0);
        assertThat(degraded.path("task_id").asText()).isNotBlank();

        await().atMost(Duration.ofSeconds(20)).until(() -> http.get("/metrics").body().lines().anyMatch(line ->
                line.startsWith("vitals_api_worker_state{") && line.contains("status=\"healthy\"")
                        && line.contains("worker_id=\"state-worker-1\"") && line.endsWith(" 1.0")));
        JsonNode uptime = json(http.get(path + "/uptime")).path("windows").path("24h");
        assertThat(uptime.path("runs").asInt()).isEqualTo(5);
        assertThat(uptime.path("failures").asInt()).isEqualTo(3);
        assertThat(uptime.path("uptime").asDouble()).isEqualTo(0.4);
    }

    @Test
    void aScheduledRunTheWorkerNeverReportedIsAFailure() throws Exception {
        FakeWorker worker = api.fakeWorker("state-worker-2");
        worker.heartbeat();
        runAndRead(worker, 50);
        UUID silent = scheduledTask(tasks, worker.workerId(), Duration.ofMillis(300));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                json(http.get("/api/v1/health-checks/" + silent)).path("status").asText().equals("expired"));

        String path = "/api/v1/workers/" + worker.workerId();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                json(http.get(path)).path("state").path("status").asText().equals("degraded"));
        JsonNode transition = json(http.get(path + "/transitions?limit=1")).path("transitions").get(0);
        assertThat(transition.path("task_id").asText()).isEqualTo(silent.toString());
        assertThat(transition.path("reason").path("missing").asBoolean()).isTrue();
        assertThat(json(http.get(path)).path("state").path("checks").path("disk").path("status").asText())
                .isEqualTo("healthy");
        assertThat(json(http.get(path + "/uptime")).path("windows").path("24h").path("failures").asInt()).isEqualTo(1);
    }

    @Test
    void anUnknownWorkerIsA404Problem() {
        assertThat(http.get("/api/v1/workers/nobody-here").statusCode()).isEqualTo(404);
        assertThat(http.get("/api/v1/workers/nobody-here/history").statusCode()).isEqualTo(404);
    }
}
