package dev.vitals.api;

import dev.vitals.model.task.Target;
import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.api.store.Database;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.store.StoredTask;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.HttpCalls;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** With the broker unreachable the API still starts, serves what is stored and says it is not ready. */
class ApiWithoutBrokerTest {

    @RegisterExtension
    static final ApiExtension api = ApiExtension.withoutBroker().with("vitals.broker.connection-timeout", "1s")
            .with("vitals.api.schedule.min-interval", "1s");

    private static HttpCalls http;
    private static UUID stored;

    @BeforeAll
    static void start() {
        stored = UUID.randomUUID();
        try (Database database = Database.open(api.storeUrl())) {
            Instant now = Instant.now();
            new JdbcTaskStore(database.dataSource()).insert(StoredTask.queued(stored, "health_check", Target.ANY, "{}",
                    now, now.plusSeconds(3600), List.of()));
        }
        http = api.http();
    }

    @Test
    void postIsRefusedQuicklyWith503AndRetryAfter() {
        long start = System.nanoTime();
        HttpResponse<String> response = http.post("/api/v1/health-checks", "{}");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json(response).get("detail").asText()).contains("broker");
        assertThat(took).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void storedTasksAreStillServed() {
        HttpResponse<String> response = http.get("/api/v1/health-checks/" + stored);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("queued");
        assertThat(http.get("/api/v1/health-checks").statusCode()).isEqualTo(200);
    }

    @Test
    void readinessIs503NamingTheBroker() {
        HttpResponse<String> response = http.get("/health/ready");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("status").asText()).isEqualTo("down");
        assertThat(json(response).get("checks").get("broker").get("status").asText()).isEqualTo("down");
        assertThat(json(response).get("checks").get("broker").get("detail").asText()).contains("broker");
        assertThat(json(response).get("checks").get("store").get("status").asText()).isEqualTo("up");
    }

    @Test
    void livenessAndStartupDoNotDependOnTheBroker() {
        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(http.get("/health/startup").statusCode()).isEqualTo(200);
        assertThat(http.get("/health/ping").statusCode()).isEqualTo(200);
    }

    @Test
    void aReplicaWithoutTheBrokerClaimsNoScheduledRunAndCreatesNoTask() {
        HttpResponse<String> created = http.post("/api/v1/schedules", "{\"name\": \"waits\", \"interval_seconds\": 1}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        org.awaitility.Awaitility.await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() ->
                json(http.get("/api/v1/schedules/waits")).get("last_run_at").isNull()
                        && json(http.get("/api/v1/health-checks?schedule=waits")).get("tasks").isEmpty());
        assertThat(json(http.get("/api/v1/schedules/waits")).get("next_run_at"))
                .as("the run stays due, for a replica connected to the broker")
                .isEqualTo(json(created).get("next_run_at"));
    }
}
