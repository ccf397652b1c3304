package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The broker is unavailable to the API for a while (its permissions taken and its connection closed): the API
 * says so, refuses new tasks at once with 503 and Retry-After, still serves what it stored, and the tasks the
 * broker confirmed before the outage are completed after it.
 */
class BrokerOutageTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit);

    @Test
    void duringAnOutageTheApiRefusesQuicklyServesReadsAndLosesNoConfirmedTask() throws Exception {
        String base = api.url();
        List<String> confirmed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            confirmed.add(Rig.submit(base, "{}"));
        }

        try (RabbitMqExtension.Outage outage = rabbit.outage(1)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> Rig.get(base + "/health/ready").statusCode() == 503);
            JsonNode ready = Rig.json(Rig.get(base + "/health/ready"));
            assertThat(ready.path("checks").path("broker").path("status").asText()).isEqualTo("down");
            assertThat(ready.path("checks").path("broker").path("detail").asText()).contains("broker");
            assertThat(ready.path("checks").path("store").path("status").asText()).isEqualTo("up");

            long startedAt = System.nanoTime();
            HttpResponse<String> refused = Rig.post(base + "/api/v1/health-checks", "{}");
            Duration took = Duration.ofNanos(System.nanoTime() - startedAt);
            assertThat(took).as("time to refuse").isLessThan(Duration.ofSeconds(2));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(Rig.json(refused).path("detail").asText()).contains("broker");

            HttpResponse<String> stored = Rig.get(base + "/api/v1/health-checks/" + confirmed.get(0));
            assertThat(stored.statusCode()).isEqualTo(200);
            assertThat(Rig.json(stored).path("status").asText()).isEqualTo("queued");
            HttpResponse<String> list = Rig.get(base + "/api/v1/health-checks");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(Rig.json(list).path("tasks")).hasSize(5);
        }

        await().atMost(Duration.ofSeconds(15)).until(() -> Rig.get(base + "/health/ready").statusCode() == 200);
        try (JavaProcess worker = Rig.worker(rabbit.uri(), "w-after-outage", FreePorts.freePort(), Map.of())) {
            for (String taskId : confirmed) {
                JsonNode task = Rig.json(Rig.get(base + "/api/v1/health-checks/" + taskId + "?wait=20"));
                assertThat(task.path("status").asText()).as("task %s", taskId).isEqualTo("completed");
            }
            String after = Rig.submit(base, "{}");
            assertThat(Rig.json(Rig.get(base + "/api/v1/health-checks/" + after + "?wait=20"))
                    .path("status").asText()).isEqualTo("completed");
            assertThat(worker.terminate()).isZero();
        }
    }
}
