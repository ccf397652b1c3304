package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tasks no worker takes end expired: by the broker's dead-lettering, or by the sweep. */
class ApiExpiryTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension apis = ApiExtension.on(rabbit).startedByTests();

    private static HttpCalls start(Map<String, Object> overrides) {
        return new HttpCalls(apis.start(overrides).port());
    }

    @Test
    void aTaskNoWorkerTakesExpiresAfterItsTimeout() {
        HttpCalls http = start(Map.of());
        UUID taskId = UUID.fromString(json(http.post("/api/v1/health-checks", "{\"timeout_seconds\": 1}"))
                .get("task_id").asText());

        await().atMost(Duration.ofSeconds(10)).until(() ->
                json(http.get("/api/v1/health-checks/" + taskId)).get("status").asText().equals("expired"));
        JsonNode task = json(http.get("/api/v1/health-checks/" + taskId));
        assertThat(task.get("error").asText()).contains("no worker");
        assertThat(task.get("completed_at").isNull()).isFalse();
    }

    @Test
    void theBrokerDeadLettersTheExpiredMessageAndTheTaskExpiresWithoutTheSweep() {
        HttpCalls http = start(Map.of("vitals.api.tasks.sweep-interval", "1m"));
        UUID taskId = UUID.fromString(json(http.post("/api/v1/health-checks", "{\"timeout_seconds\": 1}"))
                .get("task_id").asText());

        await().atMost(Duration.ofSeconds(15)).until(() ->
                json(http.get("/api/v1/health-checks/" + taskId)).get("status").asText().equals("expired"));
        assertThat(json(http.get("/api/v1/health-checks/" + taskId)).get("error").asText())
                .isEqualTo("no worker took the task within 1 s");
    }

    @Test
    void aWaitEndsWhenTheTaskExpires() {
        HttpCalls http = start(Map.of());

        long start = System.nanoTime();
        HttpResponse<String> response = http.post("/api/v1/health-checks?wait=20", "{\"timeout_seconds\": 1}");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("expired");
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }
}
