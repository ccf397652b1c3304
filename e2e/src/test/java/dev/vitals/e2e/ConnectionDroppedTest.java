package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The broker closes the connections of the API and of a worker process (as an operator, a proxy or a network
 * fault would), or refuses them for a while: both reconnect on their own, recover their channels, consumers and
 * topology, and tasks posted afterwards complete. Meanwhile the worker's {@code /health} says {@code degraded}.
 */
class ConnectionDroppedTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit);

    /** What the client library logs in this JVM (the API's side), to see that recovery went without errors. */
    private static final ListAppender<ILoggingEvent> clientLog = new ListAppender<>();

    private static JavaProcess worker;
    private static String base;
    private static String workerHealth;

    @BeforeAll
    static void start() throws Exception {
        clientLog.start();
        ((Logger) LoggerFactory.getLogger("com.rabbitmq.client")).addAppender(clientLog);
        base = api.url();
        int healthPort = FreePorts.freePort();
        workerHealth = "http://127.0.0.1:" + healthPort + "/health";
        worker = Rig.worker(rabbit.uri(), "w-dropped", healthPort, Map.of());
        Rig.awaitConsuming(worker);
    }

    @AfterAll
    static void stop() throws Exception {
        if (worker != null) {
            assertThat(worker.terminate()).as("worker exit code on SIGTERM").isZero();
        }
    }

    @Test
    void afterTheBrokerClosesEveryConnectionThreeTimesTasksStillComplete() {
        assertCompletes(Rig.submit(base, "{}"));
        for (int round = 1; round <= 3; round++) {
            rabbit.closeConnections("vitals-", 2);

            await().atMost(Duration.ofSeconds(15)).until(() -> rabbit.connections().stream()
                    .filter(name -> name.contains("vitals-")).count() == 2 && api.api().isBrokerConnected());
            assertCompletes(Rig.submit(base, "{\"checks\": [\"memory\"]}"));
        }
        assertThat(worker.outputText()).contains("Broker connection recovered")
                .as("topology declared again on recovery").doesNotContain("exception while recovering");
        assertThat(clientLog.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(message -> message.contains("exception while recovering"));
    }

    @Test
    void whileTheBrokerRefusesConnectionsTheWorkerIsDegradedAndBothComeBackAfterwards() {
        try (RabbitMqExtension.Outage outage = rabbit.outage(2)) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> health = Rig.get(workerHealth);
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(Rig.json(health).path("status").asText()).isEqualTo("degraded");
            });
            HttpResponse<String> ready = Rig.get(base + "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(Rig.json(ready).path("checks").path("broker").path("status").asText()).isEqualTo("down");
        }

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HttpResponse<String> health = Rig.get(workerHealth);
            assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
            assertThat(Rig.json(health).path("status").asText()).isEqualTo("healthy");
        });
        await().atMost(Duration.ofSeconds(15)).until(() -> Rig.get(base + "/health/ready").statusCode() == 200);
        for (int i = 0; i < 5; i++) {
            assertCompletes(Rig.submit(base, "{}"));
        }
    }

    private static void assertCompletes(String taskId) {
        Instant deadline = Instant.now().plusSeconds(15);
        JsonNode task = Rig.json(Rig.get(base + "/api/v1/health-checks/" + taskId + "?wait=15"));
        assertThat(task.path("status").asText()).as("task %s by %s", taskId, deadline).isEqualTo("completed");
        assertThat(task.path("worker_id").asText()).isEqualTo("w-dropped");
    }
}
