package dev.vitals.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.vitals.broker.Topology;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.RabbitMqExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A worker as a real process, stopped with a real SIGTERM while tasks stream in. */
class WorkerShutdownTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private static final int TASKS = 300;

    private final ObjectMapper json = VitalsJson.newMapper();

    @Test
    void sigtermMidStreamExitsZeroAndLosesNoTask() throws Exception {
        try (Connection connection = rabbit.newConnection();
             JavaProcess process = JavaProcess.builder(WorkerMain.class)
                     .env("RABBITMQ_URI", rabbit.uri().toString())
                     .env("VITALS_WORKER_ID", "w-sigterm")
                     .env("HEALTH_PORT", "0")
                     .outputFile("worker-sigterm.log")
                     .start()) {
            Channel channel = connection.createChannel();
            new Topology(WorkerTest.config(rabbit.uri(), "declarer").broker()).declare(channel);
            channel.confirmSelect();
            EventTap events = EventTap.on(connection, Topology.EVENTS_EXCHANGE, "task.completed");
            process.awaitOutputContains("consumes maintenance_tasks", WorkerTest.PATIENCE);

            Set<String> published = new HashSet<>();
            for (int i = 0; i < TASKS; i++) {
                UUID taskId = UUID.randomUUID();
                published.add(taskId.toString());
                channel.basicPublish("", Topology.TASK_QUEUE, new AMQP.BasicProperties.Builder()
                                .contentType("application/json").messageId(taskId.toString()).deliveryMode(2).build(),
                        WorkerTest.contractTask(taskId, "{\"checks\": [\"memory\", \"load\"]}")
                                .getBytes(StandardCharsets.UTF_8));
                if (i == TASKS / 3) {
                    await().atMost(WorkerTest.PATIENCE).until(() -> !events.received().isEmpty());
                    assertThat(process.terminate()).as("exit code on SIGTERM").isZero();
                }
            }
            channel.waitForConfirmsOrDie(5_000);
            assertThat(process.outputText()).contains("Worker w-sigterm stopped");

            try (Worker successor = Worker.start(WorkerTest.config(rabbit.uri(), "w-successor"), Clock.systemUTC(), () -> false)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> completedTaskIds(events).containsAll(published));
            }
            assertThat(events.received()).as("each task reported once").hasSize(TASKS);
            events.close();
        }
    }

    private Set<String> completedTaskIds(EventTap events) {
        Set<String> ids = new HashSet<>();
        for (EventTap.Received received : events.received()) {
            try {
                ids.add(json.readTree(received.body()).path("task_id").asText());
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return ids;
    }

    @Test
    void jsonLogLinesCarryTheTaskAndWorkerIds() throws Exception {
        try (Connection connection = rabbit.newConnection();
             JavaProcess process = JavaProcess.builder(WorkerMain.class)
                     .env("RABBITMQ_URI", rabbit.uri().toString())
                     .env("VITALS_WORKER_ID", "w-json-logs")
                     .env("HEALTH_PORT", "0")
                     .env("VITALS_LOG_FORMAT", "json")
                     .systemProperty("logback.configurationFile", "logback.xml") // the shipped one, not the tests'
                     .outputFile("worker-json-logs.log")
                     .start()) {
            Channel channel = connection.createChannel();
            new Topology(WorkerTest.config(rabbit.uri(), "declarer").broker()).declare(channel);
            process.awaitOutputContains("consumes maintenance_tasks", WorkerTest.PATIENCE);
            UUID taskId = UUID.randomUUID();
            channel.basicPublish("", Topology.TASK_QUEUE, new AMQP.BasicProperties.Builder().messageId(taskId.toString())
                    .build(), WorkerTest.contractTask(taskId, "{\"checks\": [\"memory\"]}").getBytes(StandardCharsets.UTF_8));
            process.awaitOutputContains("\"task_id\":\"" + taskId + "\"", WorkerTest.PATIENCE);
            assertThat(process.terminate()).isZero();

            List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
            for (String line : process.outputText().lines().filter(l -> l.startsWith("{")).toList()) {
                lines.add(json.readTree(line));
            }
            assertThat(lines).isNotEmpty().allSatisfy(line -> {
                assertThat(line.path("worker_id").asText()).isEqualTo("w-json-logs");
                assertThat(line.path("level").asText()).isNotEmpty();
                assertThat(line.path("message").asText()).isNotEmpty();
            });
            assertThat(lines).anySatisfy(line -> {
                assertThat(line.path("task_id").asText()).isEqualTo(taskId.toString());
                assertThat(line.path("message").asText()).containsAnyOf("healthy", "warning", "error");
            });
        }
    }
}
