package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.Promtool;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code /metrics} after real traffic, and readiness that reports (and may depend on) the task queue. */
class ApiMetricsAndReadinessTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit).with("vitals.api.readiness.require-consumers", true);

    private static HttpCalls http;
    private static FakeWorker worker;

    @BeforeAll
    static void start() throws Exception {
        http = api.http();
        worker = api.fakeWorker("metrics-worker");
    }

    @Test
    void everyMetricFamilyIsThereAfterATaskAndTheExpositionPassesPromtool() throws Exception {
        HttpResponse<String> posted = http.post("/api/v1/health-checks", "{}");
        UUID taskId = UUID.fromString(json(posted).get("task_id").asText());
        worker.ack(worker.take(taskId));
        worker.started(taskId);
        worker.completed(worker.report(taskId, "healthy"));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                json(http.get("/api/v1/health-checks/" + taskId)).get("status").asText().equals("completed"));

        HttpResponse<String> response = http.get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain; version=0.0.4"));
        String metrics = response.body();
        assertThat(metrics).contains(
                "vitals_api_tasks_submitted_total{target=\"any\"} ",
                "vitals_api_tasks_finished_total{status=\"completed\",target=\"any\"} ",
                "vitals_api_task_duration_seconds_bucket{status=\"completed\"",
                "http_server_requests_seconds_count{method=\"POST\",route=\"/api/v1/health-checks\",status=\"202\"}",
                "http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/health-checks/{task_id}\",status=\"200\"}",
                "vitals_api_task_queue_messages ",
                "vitals_api_task_queue_consumers ",
                "vitals_api_workers_alive ",
                "hikaricp_connections_active",
                "vitals_api_rabbitmq_published_total",
                "jvm_memory_used_bytes",
                "process_uptime_seconds");
        Promtool.checkMetrics(metrics);
    }

    @Test
    void readinessReportsTheQueueAndIsDownWithoutConsumersWhenSoConfigured() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> ready = http.get("/health/ready");
            JsonNode tasks = json(ready).path("checks").path("tasks");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(tasks.path("status").asText()).isEqualTo("down");
            assertThat(tasks.path("detail").asText()).contains("no worker consumes maintenance_tasks", "consumers 0");
            assertThat(json(ready).path("checks").path("broker").path("status").asText()).isEqualTo("up");
            assertThat(json(ready).path("checks").path("store").path("status").asText()).isEqualTo("up");
        });

        try (var connection = rabbit.newConnection(); var channel = connection.createChannel()) {
            channel.basicConsume("maintenance_tasks", false, new com.rabbitmq.client.DefaultConsumer(channel));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> ready = http.get("/health/ready");
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(json(ready).path("checks").path("tasks").path("detail").asText()).contains("consumers 1");
            });
        }
    }

    @Test
    void livenessAndStartupAreUpOnceStarted() {
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(json(http.get("/health/live")).path("status").asText()).isEqualTo("up");
        assertThat(http.get("/health/startup").statusCode()).isEqualTo(200);
        assertThat(http.get("/health/ping").body()).isEqualTo("ok");
    }
}
