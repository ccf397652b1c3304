package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.broker.Topology;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With no worker, {@code maintenance_tasks} fills up to its maximum length; the broker refuses further tasks
 * and the API answers 503 with Retry-After, leaving nothing of the refused tasks behind.
 */
class BacklogTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private static final int MAX_LENGTH = 5;

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit).with("vitals.broker.task-queue.max-length", MAX_LENGTH);

    @Test
    void aFullQueueRefusesTasksWith503AndKeepsNoneOfThem() {
        HttpCalls http = api.http();

        List<String> accepted = new ArrayList<>();
        List<HttpResponse<String>> refused = new ArrayList<>();
        for (int i = 0; i < MAX_LENGTH + 4; i++) {
            HttpResponse<String> response = http.post("/api/v1/health-checks", "{}");
            if (response.statusCode() == 202) {
                accepted.add(json(response).get("task_id").asText());
            } else {
                refused.add(response);
            }
        }

        // A quorum queue checks its length before it takes a message, so it may hold one more than the limit.
        assertThat(accepted).hasSizeBetween(MAX_LENGTH, MAX_LENGTH + 1);
        assertThat(refused).hasSize(MAX_LENGTH + 4 - accepted.size()).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(response).get("detail").asText()).contains("broker did not take the task");
        });
        JsonNode tasks = json(http.get("/api/v1/health-checks?limit=1000")).get("tasks");
        assertThat(tasks.findValuesAsText("task_id")).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(tasks.findValuesAsText("status")).containsOnly("queued");
        // The management API's counts lag the queue by up to its statistics interval.
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(rabbit.queue(Topology.TASK_QUEUE)).hasValueSatisfying(queue ->
                        assertThat(queue.messagesReady()).isEqualTo(accepted.size())));
    }
}
