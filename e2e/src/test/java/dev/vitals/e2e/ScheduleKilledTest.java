package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two API processes sharing one PostgreSQL store run a schedule declared in their configuration; the one that
 * claimed the latest run is killed with SIGKILL, and the other goes on running it, each run once.
 */
class ScheduleKilledTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Map<String, String> SCHEDULES = Map.of("VITALS_API_SCHEDULES",
            "[{name: killed, target: any, interval_seconds: 1}]");
    private static final Map<String, String> ONE_SECOND = Map.of("vitals.api.schedule.min-interval", "1s");

    /** The schedule's tasks, oldest first. */
    private static List<JsonNode> runs(String base) {
        List<JsonNode> runs = new ArrayList<>();
        Rig.json(Rig.get(base + "/api/v1/health-checks?limit=1000&schedule=killed")).path("tasks").forEach(runs::add);
        return runs.reversed();
    }

    @Test
    void whenTheReplicaThatRanTheLatestRunIsKilledTheOtherRunsTheNext() throws Exception {
        int portA = FreePorts.freePort();
        int portB = FreePorts.freePort();
        String a = "http://127.0.0.1:" + portA;
        String b = "http://127.0.0.1:" + portB;
        try (JavaProcess replicaA = Rig.api(rabbit.uri(), postgres.jdbcUrl(), portA, "schedule-killed-a", SCHEDULES,
                        ONE_SECOND);
                JavaProcess replicaB = Rig.api(rabbit.uri(), postgres.jdbcUrl(), portB, "schedule-killed-b", SCHEDULES,
                        ONE_SECOND)) {
            Rig.awaitReady(a);
            Rig.awaitReady(b);
            assertThat(Rig.json(Rig.get(a + "/api/v1/schedules/killed")).path("source").asText()).isEqualTo("config");
            await().atMost(Duration.ofSeconds(30)).until(() -> runs(a).size() >= 3);

            AtomicReference<JavaProcess> ranLatest = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                String lastTask = Rig.json(Rig.get(a + "/api/v1/schedules/killed")).path("last_task_id").asText("");
                for (JavaProcess replica : List.of(replicaA, replicaB)) {
                    if (!lastTask.isEmpty() && replica.outputText().contains("started task " + lastTask)) {
                        ranLatest.set(replica);
                        return true;
                    }
                }
                return false;
            });
            JavaProcess killed = ranLatest.get();
            JavaProcess survivor = killed == replicaA ? replicaB : replicaA;
            String survivorBase = killed == replicaA ? b : a;

            assertThat(killed.kill()).as("exit code on SIGKILL").isEqualTo(137);
            Instant killedAt = Instant.now();

            await().atMost(INTERVAL.multipliedBy(5)).until(() -> runs(survivorBase).stream()
                    .filter(run -> Instant.parse(run.path("created_at").asText()).isAfter(killedAt)).count() >= 2);
            List<JsonNode> after = runs(survivorBase).stream()
                    .filter(run -> Instant.parse(run.path("created_at").asText()).isAfter(killedAt)).toList();
            for (JsonNode run : after) {
                assertThat(survivor.outputText()).as("the survivor ran it").contains("started task "
                        + run.path("task_id").asText());
            }
            List<JsonNode> all = runs(survivorBase);
            for (int i = 1; i < all.size(); i++) {
                Instant previous = Instant.parse(all.get(i - 1).path("created_at").asText());
                Instant next = Instant.parse(all.get(i).path("created_at").asText());
                assertThat(Duration.between(previous, next)).as("each run once, one interval apart")
                        .isGreaterThan(INTERVAL.dividedBy(2));
            }
            assertThat(survivor.terminate()).isZero();
        }
    }
}
