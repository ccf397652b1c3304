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
import dev.vitals.api.ApiMain;
import dev.vitals.testing.JavaProcess;
import dev.vitals.worker.WorkerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * What the fault tests share: workers (and, for the tests that kill it, the API) as real processes, HTTP
 * calls, and a tap counting the {@code task.completed} events per task. The other tests' API runs in
 * process: client-api's ApiExtension.
 */
final class Rig {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Rig() {
    }

    /**
     * Starts {@code bin/vitals worker}'s main class as a process of its own, with quick reconnects.
     *
     * @param settings more settings, as system properties ({@code vitals.worker.prefetch} …)
     */
    static JavaProcess worker(URI broker, String workerId, int healthPort, Map<String, String> settings)
            throws IOException {
        return worker(broker, workerId, healthPort, settings, Map.of());
    }

    /** As {@link #worker(URI, String, int, Map)}, with more environment variables ({@code RABBITMQ_URIS} …). */
    static JavaProcess worker(URI broker, String workerId, int healthPort, Map<String, String> settings,
                              Map<String, String> environment) throws IOException {
        JavaProcess.Builder builder = JavaProcess.builder(WorkerMain.class)
                .jvmArg("--enable-native-access=ALL-UNNAMED")
                .env("RABBITMQ_URI", broker.toString())
                .env("VITALS_WORKER_ID", workerId)
                .env("HEALTH_PORT", Integer.toString(healthPort))
                .systemProperty("vitals.broker.reconnect-interval", "100ms")
                .systemProperty("vitals.broker.max-reconnect-interval", "500ms")
                .systemProperty("vitals.worker.cpu.sample-interval", "200ms")
                .outputFile(workerId + ".log");
        settings.forEach(builder::systemProperty);
        environment.forEach(builder::env);
        return builder.start();
    }

    /**
     * Starts {@code bin/vitals api}'s main class as a process of its own on 127.0.0.1, with quick reconnects,
     * for tests that kill it.
     */
    static JavaProcess api(URI broker, String storeUrl, int port, String logName) throws IOException {
        return api(broker, storeUrl, port, logName, Map.of(), Map.of());
    }

    /** As {@link #api(URI, String, int, String)}, with more settings as system properties ({@code otel.*} …). */
    static JavaProcess api(URI broker, String storeUrl, int port, String logName, Map<String, String> settings)
            throws IOException {
        return api(broker, storeUrl, port, logName, Map.of(), settings);
    }

    /**
     * As {@link #api(URI, String, int, String)}, with more environment variables ({@code VITALS_API_SCHEDULES} …)
     * and settings as system properties.
     */
    static JavaProcess api(URI broker, String storeUrl, int port, String logName, Map<String, String> environment,
                           Map<String, String> settings) throws IOException {
        JavaProcess.Builder builder = JavaProcess.builder(ApiMain.class)
                .jvmArg("--enable-native-access=ALL-UNNAMED")
                .env("RABBITMQ_URI", broker.toString())
                .env("VITALS_DB_URL", storeUrl)
                .env("VITALS_API_PORT", Integer.toString(port))
                .systemProperty("vitals.api.host", "127.0.0.1")
                .systemProperty("vitals.broker.reconnect-interval", "100ms")
                .systemProperty("vitals.broker.max-reconnect-interval", "500ms")
                .outputFile(logName + ".log");
        environment.forEach(builder::env);
        settings.forEach(builder::systemProperty);
        return builder.start();
    }

    /** Waits until the API at {@code base} answers {@code /health/ready} with 200. */
    static void awaitReady(String base) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> get(base + "/health/ready").statusCode() == 200);
    }

    /** Waits until a worker process consumes tasks. */
    static void awaitConsuming(JavaProcess worker) throws InterruptedException {
        worker.awaitOutputContains("consumes maintenance_tasks", Duration.ofSeconds(30));
    }

    static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(40)).GET().build());
    }

    static HttpResponse<String> post(String url, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(40))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    /** POSTs a task and returns its id, asserting it was accepted. */
    static String submit(String api, String body) {
        HttpResponse<String> response = post(api + "/api/v1/health-checks", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json(response).path("task_id").asText();
    }

    /**
     * Counts the {@code task.completed} events per task id, and notes which workers sent them, from a queue of
     * its own bound before any is sent.
     */
    static final class CompletedEvents {
        final Map<String, Integer> counts = new ConcurrentHashMap<>();
        final Map<String, List<String>> reporters = new ConcurrentHashMap<>();

        CompletedEvents(Connection connection) throws IOException {
            Channel channel = connection.createChannel();
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "vitals.events", "task.completed");
            channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                        byte[] body) throws IOException {
                    JsonNode report = JSON.readTree(new String(body, StandardCharsets.UTF_8));
                    String taskId = report.path("task_id").asText();
                    reporters.computeIfAbsent(taskId, id -> new CopyOnWriteArrayList<>())
                            .add(report.path("worker_id").asText());
                    counts.merge(taskId, 1, Integer::sum);
                }
            });
        }

        int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }

        long reportedTwice() {
            return counts.values().stream().filter(count -> count > 1).count();
        }

        /** The tasks {@code workerId} reported. */
        Set<String> reportedBy(String workerId) {
            return reporters.entrySet().stream().filter(entry -> entry.getValue().contains(workerId))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
        }
    }
}
