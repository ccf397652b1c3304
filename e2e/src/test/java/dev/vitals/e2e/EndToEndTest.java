package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.RabbitMqExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vitals as a user runs it: {@code bin/vitals api} and three {@code bin/vitals worker} processes on a real
 * RabbitMQ (a vhost of this class's own) and the embedded store, driven over HTTP.
 */
class EndToEndTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private static final int TASKS = 300;
    private static final int CLIENTS = 8;
    private static final List<String> WORKERS = List.of("e2e-w1", "e2e-w2", "e2e-w3");
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path data;

    @Test
    void threeWorkersCompleteEveryTaskExactlyOnce() throws Exception {
        int apiPort = FreePorts.freePort();
        String api = "http://127.0.0.1:" + apiPort;
        Map<String, String> apiEnv = Map.of(
                "RABBITMQ_URI", rabbit.uri().toString(),
                "VITALS_API_PORT", Integer.toString(apiPort),
                "VITALS_DB_URL", "jdbc:h2:file:" + data.resolve("vitals")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        try (Launcher launcher = new Launcher()) {
            Launcher.Command apiProcess = launcher.start("e2e-api", apiEnv, "api");
            await().atMost(STARTUP).ignoreExceptions().until(() -> get(api + "/health/ready").statusCode() == 200);

            Map<String, Integer> healthPorts = new HashMap<>();
            List<Launcher.Command> workers = new ArrayList<>();
            for (String workerId : WORKERS) {
                int port = FreePorts.freePort();
                healthPorts.put(workerId, port);
                workers.add(launcher.start(workerId, Map.of("RABBITMQ_URI", rabbit.uri().toString(),
                        "VITALS_WORKER_ID", workerId, "HEALTH_PORT", Integer.toString(port)), "worker"));
            }
            for (int port : healthPorts.values()) {
                await().atMost(STARTUP).ignoreExceptions()
                        .until(() -> get("http://127.0.0.1:" + port + "/health").body().contains("\"healthy\""));
            }

            Map<String, Integer> completedEvents = new ConcurrentHashMap<>();
            try (Connection connection = rabbit.newConnection()) {
                countCompletedEvents(connection.createChannel(), completedEvents);

                Map<String, Boolean> strictMemory = submitConcurrently(api);

                for (String taskId : strictMemory.keySet()) {
                    JsonNode task = json.readTree(get(api + "/api/v1/health-checks/" + taskId + "?wait=20").body());
                    assertThat(task.path("status").asText()).as("task %s", taskId).isEqualTo("completed");
                    JsonNode report = task.path("result");
                    assertThat(report.path("task_id").asText()).isEqualTo(taskId);
                    assertThat(task.path("worker_id").asText()).isIn(WORKERS).isEqualTo(report.path("worker_id").asText());
                    if (strictMemory.get(taskId)) {
                        assertThat(report.path("checks").path("memory").path("status").asText()).isEqualTo("error");
                        assertThat(report.path("checks").path("memory").path("error").asDouble()).isZero();
                        assertThat(report.path("checks").fieldNames()).toIterable().containsExactly("memory", "load");
                    } else {
                        assertThat(report.path("checks").fieldNames()).toIterable().hasSize(5);
                    }
                }

                JsonNode recent = json.readTree(get(api + "/api/v1/health-checks?limit=1000").body()).path("tasks");
                List<JsonNode> tasks = new ArrayList<>();
                recent.forEach(tasks::add);
                assertThat(tasks).extracting(t -> t.path("task_id").asText())
                        .containsAll(strictMemory.keySet());
                assertThat(tasks).extracting(t -> t.path("status").asText()).containsOnly("completed");
                assertThat(tasks).extracting(t -> t.path("worker_id").asText())
                        .as("every worker did some").containsAll(WORKERS);

                await().atMost(Duration.ofSeconds(10)).until(() -> completedEvents.keySet().containsAll(strictMemory.keySet()));
                assertThat(completedEvents.values()).as("each task reported once").containsOnly(1);
            }

            assertThat(apiProcess.terminate(Duration.ofSeconds(15))).as("API exit code on SIGTERM").isZero();
            for (Launcher.Command worker : workers) {
                assertThat(worker.terminate(Duration.ofSeconds(15))).as("worker exit code on SIGTERM").isZero();
            }
        }
    }

    /** POSTs the tasks from several clients; every other one grades memory with 0/0 thresholds. */
    private Map<String, Boolean> submitConcurrently(String api) throws Exception {
        Map<String, Boolean> strictMemory = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < TASKS; i = next.getAndIncrement()) {
                        boolean strict = i % 2 == 0;
                        String body = strict
                                ? "{\"checks\": [\"memory\", \"load\"], \"thresholds\": {\"memory\": {\"warning\": 0, \"error\": 0}}}"
                                : "{}";
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                        URI.create(api + "/api/v1/health-checks?wait=20"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
                        strictMemory.put(json.readTree(response.body()).path("task_id").asText(), strict);
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(strictMemory).hasSize(TASKS);
        return strictMemory;
    }

    private void countCompletedEvents(Channel channel, Map<String, Integer> counts) throws Exception {
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, "vitals.events", "task.completed");
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                    throws java.io.IOException {
                String taskId = json.readTree(new String(body, StandardCharsets.UTF_8)).path("task_id").asText();
                counts.merge(taskId, 1, Integer::sum);
            }
        });
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
