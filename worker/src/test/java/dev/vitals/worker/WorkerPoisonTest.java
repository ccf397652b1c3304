package dev.vitals.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.vitals.broker.Topology;
import dev.vitals.model.event.WorkerHeartbeat.WorkerState;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.testing.RabbitMqExtension;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The worker never dies from a message: random bytes, empty and oversized bodies, deep nesting, huge numbers,
 * odd and huge headers. Each message that is not a task is dead-lettered with a reason free of Java class
 * names; a valid task with odd headers is run; and tasks after all of them are still run.
 */
class WorkerPoisonTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private final ObjectMapper json = VitalsJson.newMapper();

    @Test
    void anyBodyOrHeadersIsRefusedOrRunAndTheWorkerGoesOn() throws Exception {
        try (Connection connection = rabbit.newConnection();
             Worker worker = Worker.start(WorkerTest.config(rabbit.uri(), "w-poison-proof"), Clock.systemUTC(),
                     () -> false)) {
            Channel channel = connection.createChannel();
            channel.confirmSelect();
            EventTap events = EventTap.on(connection, Topology.EVENTS_EXCHANGE, "task.completed");
            Random random = new Random(6);

            Map<String, byte[]> poison = new LinkedHashMap<>();
            byte[] noise = new byte[4096];
            random.nextBytes(noise);
            poison.put("random bytes", noise);
            poison.put("empty body", new byte[0]);
            byte[] oversized = new byte[VitalsJson.MAX_MESSAGE_BYTES + 1];
            Arrays.fill(oversized, (byte) '{');
            poison.put("body over 1 MiB", oversized);
            poison.put("2 MiB of a valid-looking task", task("{\"checks\": [\"cpu\"], \"target\": \""
                    + "a".repeat(2 * 1024 * 1024) + "\"}"));
            poison.put("deep nesting", "[".repeat(100_000).getBytes(StandardCharsets.UTF_8));
            poison.put("huge number", task("{\"timeout_seconds\": 1e999999999}"));
            poison.put("long integer", task("{\"timeout_seconds\": " + "9".repeat(5000) + "}"));
            poison.put("not UTF-8", new byte[] {'{', '"', 't', 'a', 's', 'k', '_', 'i', 'd', '"', ':', '"',
                    (byte) 0xff, (byte) 0xfe, '"', '}'});
            poison.put("null", "null".getBytes(StandardCharsets.UTF_8));
            poison.put("array", "[1, 2, 3]".getBytes(StandardCharsets.UTF_8));
            poison.put("task_id an object", "{\"task_id\": {\"a\": 1}, \"task_type\": \"health_check\"}"
                    .getBytes(StandardCharsets.UTF_8));
            poison.put("payload an array", "{\"task_id\": \"%s\", \"task_type\": \"health_check\", \"payload\": []}"
                    .formatted(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
            poison.put("unknown task type", "{\"task_id\": \"%s\", \"task_type\": \"reboot\"}"
                    .formatted(UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
            poison.put("unknown check as threshold", task("{\"thresholds\": {\"gpu\": {\"warning\": 1, \"error\": 2}}}"));
            poison.put("duplicate keys", task("{\"checks\": [\"cpu\"], \"checks\": 5}"));

            Map<String, Object> oddHeaders = new HashMap<>();
            oddHeaders.put("huge", "h".repeat(100_000));
            oddHeaders.put("table", Map.of("nested", Map.of("deeper", List.of(1, "two", 3.0))));
            oddHeaders.put("bytes", new byte[] {0, 1, 2, (byte) 0xff});
            oddHeaders.put("decimal", new BigDecimal("123.456"));
            oddHeaders.put("date", new Date(0));
            oddHeaders.put("x-death", "not a list");

            Map<String, String> idOf = new HashMap<>();
            for (Map.Entry<String, byte[]> message : poison.entrySet()) {
                String id = "poison-" + idOf.size();
                idOf.put(id, message.getKey());
                channel.basicPublish("", Topology.TASK_QUEUE, new AMQP.BasicProperties.Builder()
                        .messageId(id).contentType("text/garbage").type("whatever").headers(oddHeaders)
                        .deliveryMode(2).build(), message.getValue());
            }
            UUID oddButValid = UUID.randomUUID();
            channel.basicPublish("", Topology.TASK_QUEUE, new AMQP.BasicProperties.Builder()
                    .messageId("x".repeat(255)).correlationId("\u0000\u00ff").headers(oddHeaders).deliveryMode(2)
                    .build(), WorkerTest.contractTask(oddButValid, "{\"checks\": [\"memory\"]}")
                    .getBytes(StandardCharsets.UTF_8));
            UUID afterAll = UUID.randomUUID();
            channel.basicPublish("", Topology.TASK_QUEUE, new AMQP.BasicProperties.Builder()
                    .messageId(afterAll.toString()).deliveryMode(2).build(),
                    WorkerTest.contractTask(afterAll, "{\"checks\": [\"memory\"]}").getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(10_000);

            await().atMost(WorkerTest.PATIENCE).until(() -> completed(events).containsAll(
                    List.of(oddButValid.toString(), afterAll.toString())));
            List<GetResponse> deadLetters = new ArrayList<>();
            await().atMost(WorkerTest.PATIENCE).until(() -> {
                GetResponse next = channel.basicGet(Topology.DEAD_LETTER_QUEUE, true);
                if (next != null) {
                    deadLetters.add(next);
                }
                return deadLetters.size() >= poison.size();
            });
            assertThat(deadLetters).extracting(d -> idOf.get(d.getProps().getMessageId()))
                    .containsExactlyInAnyOrderElementsOf(poison.keySet());
            for (GetResponse deadLetter : deadLetters) {
                String reason = String.valueOf(deadLetter.getProps().getHeaders().get(Topology.REASON_HEADER));
                assertThat(reason).as("reason for %s", idOf.get(deadLetter.getProps().getMessageId()))
                        .isNotBlank()
                        .doesNotContainPattern("(java|javax|com\\.fasterxml|dev\\.vitals)\\.[a-z]+\\.")
                        .doesNotContain("Exception");
            }
            assertThat(worker.health().state()).isEqualTo(WorkerState.HEALTHY);
            events.close();
        }
    }

    private static byte[] task(String payload) {
        return WorkerTest.contractTask(UUID.randomUUID(), payload).getBytes(StandardCharsets.UTF_8);
    }

    private List<String> completed(EventTap events) {
        return events.received().stream().map(r -> {
            try {
                return json.readTree(r.body()).path("task_id").asText();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }
}
