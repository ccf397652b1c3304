package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Schedules on several replicas sharing one PostgreSQL store, with no leader: each run happens exactly once, on
 * whichever replica claims it, and runs missed while every replica was down are not made up.
 */
class ScheduleReplicasTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @RegisterExtension
    static final ApiExtension replicas = ApiExtension.on(rabbit).store(postgres).startedByTests()
            .with("vitals.api.schedule.min-interval", "1s");

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final int RUNS = 20;

    /** The creation times of the schedule's tasks, oldest first. */
    private static List<Instant> runs(HttpCalls http, String schedule) {
        List<Instant> runs = new ArrayList<>();
        json(http.get("/api/v1/health-checks?limit=1000&schedule=" + schedule)).path("tasks")
                .forEach(task -> runs.add(Instant.parse(task.path("created_at").asText())));
        return runs.reversed();
    }

    private static JsonNode create(HttpCalls http, String name) {
        HttpResponse<String> created = http.post("/api/v1/schedules", "{\"name\": \"" + name + "\", \"interval_seconds\": "
                + INTERVAL.toSeconds() + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json(created);
    }

    @Test
    void twoReplicasRunEachScheduledTimeExactlyOnce() {
        HttpCalls a = new HttpCalls(replicas.start(Map.of()).port());
        HttpCalls b = new HttpCalls(replicas.start(Map.of()).port());
        Instant first = Instant.parse(create(a, "once").path("next_run_at").asText());

        await().atMost(Duration.ofSeconds(RUNS + 15)).until(() -> runs(b, "once").size() >= RUNS);
        a.send("DELETE", "/api/v1/schedules/once");

        // Run k is due at first + k intervals and starts before the next one is due (no drift, none skipped).
        List<Long> slots = runs(a, "once").stream()
                .map(run -> Duration.between(first, run).toMillis() / INTERVAL.toMillis()).toList();
        assertThat(slots).as("the interval each run started in, counted from the first").startsWith(
                IntStream.range(0, RUNS).mapToObj(Long::valueOf).toArray(Long[]::new));
        assertThat(slots).as("each once").doesNotHaveDuplicates();
    }

    @Test
    void runsMissedWhileEveryReplicaWasDownAreNotMadeUpInABurst() {
        Api a = replicas.start(Map.of());
        Api b = replicas.start(Map.of());
        HttpCalls http = new HttpCalls(a.port());
        create(http, "no-burst");
        await().atMost(Duration.ofSeconds(10)).until(() -> runs(http, "no-burst").size() >= 2);

        a.close();
        b.close();
        Instant down = Instant.now();
        await().pollDelay(INTERVAL.multipliedBy(5)).until(() -> true); // five runs are missed
        HttpCalls restarted = new HttpCalls(replicas.start(Map.of()).port());
        Instant up = Instant.now();
        await().atMost(Duration.ofSeconds(10)).until(() -> runs(restarted, "no-burst").stream()
                .filter(run -> run.isAfter(up)).count() >= 3);
        restarted.send("DELETE", "/api/v1/schedules/no-burst");

        List<Instant> afterDowntime = runs(restarted, "no-burst").stream().filter(run -> run.isAfter(down)).toList();
        for (int i = 1; i < afterDowntime.size(); i++) {
            assertThat(Duration.between(afterDowntime.get(i - 1), afterDowntime.get(i)))
                    .as("runs after the downtime, one interval apart: %s", afterDowntime)
                    .isGreaterThanOrEqualTo(INTERVAL.minusMillis(100));
        }
    }
}
