package dev.vitals.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import com.typesafe.config.ConfigFactory;
import dev.vitals.broker.Topology;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.RabbitMqExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Workers in this JVM against a real RabbitMQ, in a vhost of this class's own. */
class WorkerTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    static final Duration PATIENCE = Duration.ofSeconds(20);

    private final ObjectMapper json = VitalsJson.newMapper();
    private final List<Worker> workers = new ArrayList<>();
    private Connection connection;
    private Channel channel;
    private EventTap events;

    static WorkerConfig config(String workerId) {
        return config(rabbit.uri(), workerId);
    }

    static WorkerConfig config(URI broker, String workerId) {
        return config(broker, workerId, Map.of());
    }

    /**
     * A worker's configuration for tests: health on a free port of 127.0.0.1, quick CPU samples, heartbeats and
     * shutdown, the given broker and id, then {@code overrides}.
     */
    static WorkerConfig config(URI broker, String workerId, Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("vitals.broker.uri", broker.toString());
        settings.put("vitals.worker.id", workerId);
        settings.put("vitals.worker.health.port", 0);
        settings.put("vitals.worker.health.host", "127.0.0.1");
        settings.put("vitals.worker.cpu.sample-interval", "200ms");
        settings.put("vitals.worker.heartbeat-interval", "1s");
        settings.put("vitals.worker.shutdown-timeout", "5s");
        settings.putAll(overrides);
        return WorkerConfig.from(ConfigFactory.parseMap(settings).withFallback(ConfigFactory.defaultReference()).resolve(),
                "test-host");
    }

    /** Starts a worker that keeps trying, in the background; stop it with {@code keepTrying}. */
    static CompletableFuture<Worker> starting(WorkerConfig config, AtomicBoolean keepTrying) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Worker.start(config, Clock.systemUTC(), keepTrying::get);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    private Worker startWorker(String workerId) throws Exception {
        Worker worker = Worker.start(config(workerId), Clock.systemUTC(), () -> false);
        workers.add(worker);
        return worker;
    }

    @BeforeEach
    void connect() throws Exception {
        connection = rabbit.newConnection();
        channel = connection.createChannel();
        new Topology(config("declarer").broker()).declare(channel);
        channel.confirmSelect();
        events = EventTap.on(connection, Topology.EVENTS_EXCHANGE, "#");
    }

    @AfterEach
    void stop() throws Exception {
        workers.forEach(Worker::close);
        events.close();
        channel.queuePurge(Topology.TASK_QUEUE);
        channel.queuePurge(Topology.DEAD_LETTER_QUEUE);
        connection.close();
    }

    static String contractTask(UUID taskId, String payload) {
        return """
                {"task_id": "%s", "task_type": "health_check", "created_at": "2026-11-22T10:15:30.123Z", "payload": %s}
                """.formatted(taskId, payload);
    }

    private void publish(UUID taskId, String body, AMQP.BasicProperties.Builder properties) throws Exception {
        channel.basicPublish("", Topology.TASK_QUEUE, properties.build(), body.getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);
    }

    private static AMQP.BasicProperties.Builder taskProperties(UUID taskId) {
        return new AMQP.BasicProperties.Builder().contentType("application/json").messageId(taskId.toString())
                .type("health_check").deliveryMode(2);
    }

    private JsonNode completedReport(UUID taskId) {
        return await().atMost(PATIENCE).until(() -> events.withRoutingKey("task.completed").stream()
                .map(r -> readTree(r.body()))
                .filter(report -> report.path("task_id").asText().equals(taskId.toString()))
                .findFirst().orElse(null), report -> report != null);
    }

    private JsonNode readTree(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    @Test
    void contractTaskIsReportedOnEventsAndToReplyTo() throws Exception {
        startWorker("w-contract");
        String replies = channel.queueDeclare().getQueue();
        EventTap replyTap = EventTap.consuming(connection.createChannel(), replies);
        UUID taskId = UUID.randomUUID();

        publish(taskId, contractTask(taskId, "{}"), taskProperties(taskId).replyTo(replies).correlationId("corr-7"));

        JsonNode report = completedReport(taskId);
        assertThat(report.path("worker_id").asText()).isEqualTo("w-contract");
        assertThat(report.path("hostname").asText()).isEqualTo("test-host");
        assertThat(report.path("checks").fieldNames()).toIterable()
                .containsExactly("cpu", "memory", "disk", "load", "threads");
        assertThat(report.path("checks").path("cpu").path("window_seconds").asDouble()).isPositive();
        assertThat(report.path("checks").path("disk").path("warning").asDouble()).isEqualTo(90.0);
        assertThat(report.path("status").asText()).isIn("healthy", "warning", "error");
        assertThat(events.withRoutingKey("task.started")).anySatisfy(started ->
                assertThat(readTree(started.body()).path("task_id").asText()).isEqualTo(taskId.toString()));

        await().atMost(PATIENCE).until(() -> !replyTap.received().isEmpty());
        EventTap.Received reply = replyTap.received().get(0);
        assertThat(reply.properties().getCorrelationId()).isEqualTo("corr-7");
        assertThat(readTree(reply.body())).isEqualTo(report);
        replyTap.close();
    }

    @Test
    void replyCorrelatesWithTheMessageIdWhenTheTaskHasNoCorrelationId() throws Exception {
        startWorker("w-reply");
        String replies = channel.queueDeclare().getQueue();
        EventTap replyTap = EventTap.consuming(connection.createChannel(), replies);
        UUID taskId = UUID.randomUUID();

        publish(taskId, contractTask(taskId, "{\"checks\": [\"memory\"]}"), taskProperties(taskId).replyTo(replies));

        await().atMost(PATIENCE).until(() -> !replyTap.received().isEmpty());
        assertThat(replyTap.received().get(0).properties().getCorrelationId()).isEqualTo(taskId.toString());
        replyTap.close();
    }

    @Test
    void requestChecksAndThresholdsChangeTheReport() throws Exception {
        startWorker("w-thresholds");
        UUID taskId = UUID.randomUUID();

        publish(taskId, contractTask(taskId, """
                {"checks": ["memory", "threads"], "thresholds": {"memory": {"warning": 0, "error": 0}}}"""),
                taskProperties(taskId));

        JsonNode report = completedReport(taskId);
        assertThat(report.path("checks").fieldNames()).toIterable().containsExactly("memory", "threads");
        assertThat(report.path("checks").path("memory").path("status").asText()).isEqualTo("error");
        assertThat(report.path("checks").path("memory").path("error").asDouble()).isZero();
        assertThat(report.path("status").asText()).isEqualTo("error");
    }

    @Test
    void invalidMessageIsDeadLetteredWithItsReasonAndTheWorkerGoesOn() throws Exception {
        startWorker("w-poison");
        UUID poisonId = UUID.randomUUID();
        UUID badPayloadId = UUID.randomUUID();
        UUID goodId = UUID.randomUUID();

        publish(poisonId, "{this is not json", taskProperties(poisonId));
        publish(badPayloadId, contractTask(badPayloadId, "{\"checks\": [\"gpu\"]}"), taskProperties(badPayloadId));
        publish(goodId, contractTask(goodId, "{\"checks\": [\"cpu\"]}"), taskProperties(goodId));

        completedReport(goodId);
        await().atMost(PATIENCE).until(() -> events.withRoutingKey("task.failed").size() == 2);
        Map<String, String> failureByTask = events.withRoutingKey("task.failed").stream().map(r -> readTree(r.body()))
                .collect(Collectors.toMap(f -> f.path("task_id").asText(), f -> f.path("reason").asText()));
        assertThat(failureByTask.get(poisonId.toString())).startsWith("body: is not valid JSON");
        assertThat(failureByTask.get(badPayloadId.toString())).contains("unknown check 'gpu'");

        List<GetResponse> deadLetters = new ArrayList<>();
        await().atMost(PATIENCE).until(() -> {
            GetResponse next = channel.basicGet(Topology.DEAD_LETTER_QUEUE, true);
            if (next != null) {
                deadLetters.add(next);
            }
            return deadLetters.size() == 2;
        });
        assertThat(deadLetters).extracting(d -> d.getProps().getMessageId())
                .containsExactlyInAnyOrder(poisonId.toString(), badPayloadId.toString());
        GetResponse poison = deadLetters.stream()
                .filter(d -> d.getProps().getMessageId().equals(poisonId.toString())).findFirst().orElseThrow();
        assertThat(new String(poison.getBody(), StandardCharsets.UTF_8)).isEqualTo("{this is not json");
        assertThat(poison.getProps().getHeaders().get(Topology.REASON_HEADER).toString())
                .startsWith("body: is not valid JSON");
        assertThat(rabbit.queue(Topology.TASK_QUEUE)).hasValueSatisfying(queue ->
                assertThat(queue.messagesReady() + queue.messagesUnacknowledged()).isZero());
    }

    @Test
    void twoWorkersShareTheQueueAndReportEachTaskOnce() throws Exception {
        startWorker("w-one");
        startWorker("w-two");
        List<UUID> taskIds = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            UUID taskId = UUID.randomUUID();
            taskIds.add(taskId);
            channel.basicPublish("", Topology.TASK_QUEUE, taskProperties(taskId).build(),
                    contractTask(taskId, "{\"checks\": [\"memory\"]}").getBytes(StandardCharsets.UTF_8));
        }
        channel.waitForConfirmsOrDie(5_000);

        await().atMost(PATIENCE).until(() -> events.withRoutingKey("task.completed").size() >= taskIds.size());
        List<JsonNode> reports = events.withRoutingKey("task.completed").stream().map(r -> readTree(r.body())).toList();
        assertThat(reports).extracting(r -> UUID.fromString(r.path("task_id").asText()))
                .containsExactlyInAnyOrderElementsOf(taskIds);
        assertThat(reports).extracting(r -> r.path("worker_id").asText()).contains("w-one", "w-two");
    }

    @Test
    void aWorkerWhoseOwnQueueIsLostDeclaresItAgainAndTakesItsTasks() throws Exception {
        startWorker("w-own-lost");
        String ownQueue = Topology.workerQueue("w-own-lost");
        channel.queueDelete(ownQueue);
        UUID taskId = UUID.randomUUID();

        await().atMost(PATIENCE).ignoreExceptions().until(() -> {
            try (Channel probe = connection.createChannel()) {
                return probe.queueDeclarePassive(ownQueue).getConsumerCount() == 1;
            }
        });
        channel.basicPublish("", ownQueue, taskProperties(taskId).build(),
                contractTask(taskId, "{}").getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(5_000);

        assertThat(completedReport(taskId).path("worker_id").asText()).isEqualTo("w-own-lost");
    }

    @Test
    void healthEndpointSaysHealthyAndCountsChecks() throws Exception {
        Worker worker = startWorker("w-health");
        UUID taskId = UUID.randomUUID();
        publish(taskId, contractTask(taskId, "{\"checks\": [\"memory\"]}"), taskProperties(taskId));
        completedReport(taskId);

        HttpResponse<String> response = get(worker, "/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode health = json.readTree(response.body());
        assertThat(health.path("status").asText()).isEqualTo("healthy");
        assertThat(health.path("check_count").asLong()).isEqualTo(1);
        assertThat(health.path("error_count").asLong()).isZero();
        assertThat(health.path("last_check_success").asBoolean()).isTrue();
        assertThat(health.path("last_check_time").asText()).endsWith("Z");
        assertThat(health.path("timestamp").asText()).endsWith("Z");
    }

    @Test
    void heartbeatsNameTheWorkerAndALastOneSaysStopped() throws Exception {
        Worker worker = startWorker("w-heartbeat");

        await().atMost(PATIENCE).until(() -> !events.withRoutingKey("worker.heartbeat").isEmpty());
        JsonNode first = readTree(events.withRoutingKey("worker.heartbeat").get(0).body());
        assertThat(first.path("worker_id").asText()).isEqualTo("w-heartbeat");
        assertThat(first.path("hostname").asText()).isEqualTo("test-host");
        assertThat(first.path("version").asText()).isNotEmpty();
        assertThat(first.path("started_at").asText()).endsWith("Z");

        worker.close();
        await().atMost(PATIENCE).until(() -> events.withRoutingKey("worker.heartbeat").stream()
                .anyMatch(h -> readTree(h.body()).path("state").asText().equals("stopped")));
    }

    @Test
    void probesAnswerWhenStartedAndConnected() throws Exception {
        Worker worker = startWorker("w-probes");
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + worker.healthPort();

        for (String path : List.of("/health/live", "/health/ready", "/health/startup")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(json.readTree(response.body()).path("status").asText()).as(path).isEqualTo("up");
        }
        HttpResponse<String> ping = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ping")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ping.body()).isEqualTo("ok");
    }

    @Test
    void metricsHaveEveryFamilyAfterATaskAndPassPromtool() throws Exception {
        Worker worker = startWorker("w-metrics");
        UUID taskId = UUID.randomUUID();
        publish(taskId, contractTask(taskId, "{}"), taskProperties(taskId));
        completedReport(taskId);

        HttpResponse<String> response = get(worker, "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        String metrics = response.body();
        assertThat(metrics).contains(
                "vitals_worker_checks_total{check=\"memory\",status=",
                "vitals_worker_collection_seconds_bucket{check=\"disk\"",
                "vitals_worker_check_value{check=\"cpu\",worker_id=\"w-metrics\"}",
                "vitals_worker_tasks_total 1.0",
                "vitals_worker_broker_connected 1.0",
                "vitals_worker_rabbitmq_published_total",
                "jvm_memory_used_bytes",
                "process_uptime_seconds");
        assertThat(metrics).doesNotContain("vitals_worker_check_value{check=\"cpu\",worker_id=\"w-metrics\"} NaN");
        dev.vitals.testing.Promtool.checkMetrics(metrics);
    }

    @Test
    void whileTheBrokerCannotBeReachedTheWorkerIsLiveButNeitherStartedNorReady() throws Exception {
        int healthPort = FreePorts.freePort();
        int closedPort = FreePorts.freePort();
        WorkerConfig unreachable = config(URI.create("amqp://guest:guest@127.0.0.1:" + closedPort + "/%2f"), "w-starting",
                Map.of("vitals.worker.health.port", healthPort));
        AtomicBoolean keepTrying = new AtomicBoolean(true);
        CompletableFuture<Worker> starting = starting(unreachable, keepTrying);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + healthPort;
        try {
            await().atMost(PATIENCE).ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
                    URI.create(base + "/health/live")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);

            assertThat(status(http, base + "/health/startup")).isEqualTo(503);
            assertThat(status(http, base + "/health/ready")).isEqualTo(503);
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(json.readTree(health.body()).path("status").asText()).isEqualTo("starting");
        } finally {
            keepTrying.set(false);
        }
        assertThat(starting).failsWithin(Duration.ofSeconds(20));
    }

    private static HttpResponse<String> get(Worker worker, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + worker.healthPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int status(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
