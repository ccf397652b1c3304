package dev.vitals.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.RabbitMqExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a user who misconfigured something gets from a worker at start-up, as from the API: what an operator fixes
 * on the broker keeps it trying, not ready and saying why, until fixed; what needs a restart stops it in one line.
 */
class WorkerStartupProblemsTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WorkerConfig config(URI broker, int healthPort) {
        return WorkerTest.config(broker, "w-startup", Map.of(
                "vitals.worker.health.port", healthPort,
                "vitals.broker.reconnect-interval", "100ms",
                "vitals.broker.max-reconnect-interval", "500ms"));
    }

    private static HttpResponse<String> ready(int port) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aClassicTaskQueueKeepsTheWorkerNotReadySayingWhyUntilItIsDeleted() throws Exception {
        try (Connection connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDeclare("maintenance_tasks", true, false, false, Map.of());
        }
        int port = FreePorts.freePort();
        AtomicBoolean keepTrying = new AtomicBoolean(true);
        CompletableFuture<Worker> worker = WorkerTest.starting(config(rabbit.uri(), port), keepTrying);
        try {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                HttpResponse<String> readiness = ready(port);
                assertThat(readiness.statusCode()).isEqualTo(503);
                JsonNode broker = JSON.readTree(readiness.body()).path("checks").path("broker");
                assertThat(broker.path("detail").asText()).isEqualTo("queue 'maintenance_tasks' in vhost '"
                        + rabbit.vhost() + "' exists with x-queue-type=classic; Vitals declares x-queue-type=quorum."
                        + " A queue's arguments cannot change: delete it once empty (rabbitmqctl delete_queue -p "
                        + rabbit.vhost() + " maintenance_tasks) or give Vitals another vhost");
            });
            assertThat(worker).isNotDone();

            try (Connection connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
                channel.queueDelete("maintenance_tasks");
            }

            try (Worker started = worker.get(20, TimeUnit.SECONDS)) {
                assertThat(ready(port).statusCode()).isEqualTo(200);
                assertThat(started.health().isBrokerConnected()).isTrue();
            }
        } finally {
            keepTrying.set(false);
        }
    }

    @Test
    void aWrongBrokerPasswordKeepsTheWorkerNotReadySayingWhy() throws Exception {
        URI uri = rabbit.uri();
        URI wrong = URI.create("amqp://guest:not-it@" + uri.getHost() + ":" + uri.getPort() + uri.getRawPath());
        int port = FreePorts.freePort();
        AtomicBoolean keepTrying = new AtomicBoolean(true);
        CompletableFuture<Worker> worker = WorkerTest.starting(config(wrong, port), keepTrying);
        try {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
                HttpResponse<String> readiness = ready(port);
                assertThat(readiness.statusCode()).isEqualTo(503);
                assertThat(JSON.readTree(readiness.body()).path("checks").path("broker").path("detail").asText())
                        .contains("refused the login of user 'guest'", "RABBITMQ_URI").doesNotContain("not-it");
            });
        } finally {
            keepTrying.set(false);
        }
        assertThat(worker).failsWithin(Duration.ofSeconds(20));
    }

    private static JavaProcess workerProcess(Map<String, String> env) throws Exception {
        JavaProcess.Builder builder = JavaProcess.builder(WorkerMain.class)
                .jvmArg("--enable-native-access=ALL-UNNAMED")
                .systemProperty("logback.configurationFile", "logback.xml") // what users get
                .systemProperty("vitals.worker.health.host", "127.0.0.1")
                .env("RABBITMQ_URI", rabbit.uri().toString());
        env.forEach(builder::env);
        return builder.start();
    }

    @Test
    void aTakenHealthPortStopsTheWorkerInOneLineNamingTheVariable() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
             JavaProcess worker = workerProcess(Map.of("HEALTH_PORT", Integer.toString(taken.getLocalPort())))) {
            assertThat(worker.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
            String output = worker.outputText();
            assertThat(output).doesNotContain("\tat ").doesNotContain("Exception:");
            assertThat(output.lines().filter(line -> line.contains("ERROR"))).singleElement().asString()
                    .contains("Cannot start: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " for /health")
                    .contains("set HEALTH_PORT (or vitals.worker.health.port) to a free port");
        }
    }

    @Test
    void aSettingOutOfRangeStopsTheWorkerNamingTheVariableThatSetIt() throws Exception {
        try (JavaProcess worker = workerProcess(Map.of("HEALTH_PORT", "70000"))) {
            assertThat(worker.awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
            assertThat(worker.outputText().strip()).isEqualTo("vitals worker: cannot start: invalid setting"
                    + " vitals.worker.health.port (environment variable HEALTH_PORT): must be between 0 and 65535,"
                    + " got 70000; correct it there");
        }
    }
}
