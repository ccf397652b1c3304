package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API process killed with SIGKILL while clients submit tasks, then started again on the same store:
 * every task that was answered {@code 202} is still there and ends {@code completed} (its worker kept
 * running and reported it), none is {@code 404} or stuck. Half the clients wait for their task
 * ({@code ?wait=10}): those the dead process held get a connection error, never a wrong answer (a {@code 200}
 * is a finished task, anything else a {@code 202}). The loss this guards against is a race (commits
 * held in memory when the process died), so each store is killed several times at random moments.
 */
class ApiKilledTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final int ROUNDS = 3;
    private static final int CLIENTS = 8;

    private static JavaProcess worker;

    @BeforeAll
    static void startWorker() throws Exception {
        worker = Rig.worker(rabbit.uri(), "api-killed-w", FreePorts.freePort(), Map.of());
        Rig.awaitConsuming(worker);
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    @Test
    void tasksAnswered202SurviveTheApiBeingKilledOnTheEmbeddedStore(@TempDir Path directory) throws Exception {
        killRounds("h2", "jdbc:h2:file:" + directory.resolve("vitals")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
    }

    @Test
    void tasksAnswered202SurviveTheApiBeingKilledOnPostgresql() throws Exception {
        killRounds("pg", postgres.jdbcUrl());
    }

    private static void killRounds(String name, String storeUrl) throws Exception {
        int port = FreePorts.freePort();
        String base = "http://127.0.0.1:" + port;
        Random random = new Random();
        for (int round = 1; round <= ROUNDS; round++) {
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            List<String> wrongAnswers = new CopyOnWriteArrayList<>();
            try (JavaProcess api = Rig.api(rabbit.uri(), storeUrl, port, "api-killed-" + name + "-" + round)) {
                Rig.awaitReady(base);
                int killAfter = 60 + random.nextInt(120);
                AtomicBoolean submitting = new AtomicBoolean(true);
                ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
                try {
                    List<Future<?>> load = new ArrayList<>();
                    for (int c = 0; c < CLIENTS; c++) {
                        String wait = c % 2 == 0 ? "" : "?wait=10";
                        load.add(clients.submit(() -> submitUntilStopped(base, wait, accepted, wrongAnswers,
                                submitting)));
                    }
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                            .until(() -> accepted.size() >= killAfter);
                    assertThat(api.kill()).as("exit code on SIGKILL").isEqualTo(137);
                    submitting.set(false);
                    for (Future<?> client : load) {
                        client.get(30, TimeUnit.SECONDS);
                    }
                } finally {
                    clients.shutdownNow();
                }
            }
            assertThat(wrongAnswers).as("%s round %d: answers that were neither 202 nor a finished task", name, round)
                    .isEmpty();

            try (JavaProcess restarted = Rig.api(rabbit.uri(), storeUrl, port, "api-killed-" + name + "-" + round + "-restarted")) {
                Rig.awaitReady(base);
                Map<String, List<String>> byStatus = FaultLoad.endings(base, accepted, Duration.ofSeconds(20));
                assertThat(byStatus.keySet())
                        .as("%s round %d: statuses of the %d tasks answered 202 before the kill: %s", name, round,
                                accepted.size(), FaultLoad.summary(byStatus))
                        .containsExactly("completed");
                assertThat(restarted.terminate()).isZero();
            }
        }
    }

    /**
     * POSTs tasks one after another, keeping the ids of those answered 202 (or 200, finished within {@code wait}),
     * until told to stop or refused; an answer that is neither is kept in {@code wrongAnswers}.
     */
    private static Void submitUntilStopped(String base, String wait, Set<String> accepted, List<String> wrongAnswers,
                                           AtomicBoolean submitting) {
        while (submitting.get()) {
            HttpResponse<String> response;
            try {
                response = Rig.post(base + "/api/v1/health-checks" + wait, "{}");
            } catch (UncheckedIOException e) {
                return null; // the API is gone: what it did not answer was not promised
            }
            JsonNode task = response.statusCode() == 200 || response.statusCode() == 202 ? Rig.json(response) : null;
            if (response.statusCode() == 202
                    || response.statusCode() == 200 && task.path("status").asText().equals("completed")) {
                accepted.add(task.path("task_id").asText());
            } else if (response.statusCode() != 503) {
                wrongAnswers.add(response.statusCode() + " " + response.body());
            }
        }
        return null;
    }
}
