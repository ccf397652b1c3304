package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two API replicas on one PostgreSQL store: a key sent to both at once makes one task. */
class ApiIdempotencyReplicasTest {

    private static final String TASKS = "/api/v1/health-checks";
    private static final int KEYS = 20;

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @RegisterExtension
    static final ApiExtension replicas = ApiExtension.on(rabbit).store(postgres);

    @Test
    void twoConcurrentPostsWithOneKeyOnTwoReplicasMakeOneTask() {
        Api a = replicas.api();
        Api b = replicas.start(Map.of());
        HttpCalls toA = new HttpCalls(a.port());
        HttpCalls toB = new HttpCalls(b.port());
        List<List<CompletableFuture<HttpResponse<String>>>> pairs = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            Map<String, List<String>> key = Map.of("Idempotency-Key", List.of(UUID.randomUUID().toString()));
            String body = "{\"checks\": [\"disk\"], \"timeout_seconds\": " + (10 + i) + "}";
            pairs.add(List.of(toA.postAsync(TASKS, body, key), toB.postAsync(TASKS, body, key)));
        }

        Set<String> taskIds = new HashSet<>();
        for (List<CompletableFuture<HttpResponse<String>>> pair : pairs) {
            Set<String> ofThisKey = new HashSet<>();
            int made = 0;
            for (CompletableFuture<HttpResponse<String>> answer : pair) {
                HttpResponse<String> response = answer.join();
                // The first to take the key makes the task (202); the other finds it (200) or finds it in progress (409).
                assertThat(response.statusCode()).as(response.body()).isIn(200, 202, 409);
                if (response.statusCode() == 202) {
                    made++;
                }
                if (response.statusCode() != 409) {
                    ofThisKey.add(json(response).path("task_id").asText());
                } else {
                    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
                    assertThat(json(response).path("detail").asText()).contains("in progress");
                }
            }
            assertThat(made).isEqualTo(1);
            assertThat(ofThisKey).hasSize(1);
            taskIds.addAll(ofThisKey);
        }
        JsonNode listed = json(toA.get(TASKS + "?limit=1000")).path("tasks");
        assertThat(listed).hasSize(KEYS);
        Set<String> listedIds = new HashSet<>();
        listed.forEach(task -> listedIds.add(task.path("task_id").asText()));
        assertThat(listedIds).isEqualTo(taskIds);
    }
}
