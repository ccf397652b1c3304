package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.store.Database;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two API replicas on one PostgreSQL store record the same scheduled runs: each transition once. */
class ApiReplicasStateTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    /**
     * With the default settle (2 s) rather than none: a pass must not move past a task the other replica has
     * ended but not committed yet, or that task's run would be applied after later ones, at the next look-back.
     */
    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit).store(postgres)
            .with("vitals.api.history.settle", "2s").with("vitals.api.history.record-interval", "100ms");

    @Test
    void twoReplicasRecordEachTransitionOnce() throws Exception {
        Api second = api.start(Map.of());
        HttpCalls first = api.http();
        HttpCalls other = new HttpCalls(second.port());
        FakeWorker worker = api.fakeWorker("replicated-worker-1");
        worker.heartbeat();
        try (Database database = Database.open(postgres.jdbcUrl())) {
            JdbcTaskStore tasks = new JdbcTaskStore(database.dataSource());
            List<UUID> runs = new ArrayList<>();
            for (double disk : new double[] {97.1, 97.1, 97.1, 50, 50, 97.1, 50, 50}) {
                runs.add(ApiWorkerStateTest.scheduledRun(tasks, first, worker, disk));
            }
            String path = "/api/v1/workers/" + worker.workerId();
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    json(first.get(path + "/uptime")).path("windows").path("24h").path("runs").asInt() == runs.size());

            JsonNode transitions = json(other.get(path + "/transitions")).path("transitions");
            List<String> overall = new ArrayList<>();
            Set<String> distinct = new HashSet<>();
            for (JsonNode transition : transitions) {
                distinct.add(transition.path("task_id").asText() + " " + transition.path("check").asText());
                if (transition.path("check").isNull()) {
                    overall.addFirst(transition.path("to").asText());
                }
            }
            assertThat(distinct).hasSize(transitions.size());
            assertThat(overall).containsExactly("degraded", "unhealthy", "healthy", "degraded", "healthy");
            assertThat(json(first.get(path)).path("state")).isEqualTo(json(other.get(path)).path("state"));
            assertThat(json(other.get(path + "/uptime")).path("windows").path("24h").path("failures").asInt())
                    .isEqualTo(4);
        }
    }
}
