package dev.vitals.api.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.typesafe.config.ConfigFactory;
import dev.vitals.broker.BrokerSettings;
import dev.vitals.broker.PublishRefusedException;
import dev.vitals.broker.Topology;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.testing.RabbitMqExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TaskPublisherTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    /** A vhost of its own, where maintenance_tasks holds one message: queues keep their arguments. */
    @RegisterExtension
    static final RabbitMqExtension tinyQueue = new RabbitMqExtension();

    private static final ObjectMapper JSON = VitalsJson.newMapper();
    private static final Instant CREATED = Instant.parse("2026-11-22T10:15:30.123Z");

    private BrokerLink link;

    @AfterEach
    void close() {
        if (link != null) {
            link.close();
        }
    }

    private TaskPublisher connectedPublisher(RabbitMqExtension broker, Map<String, Object> brokerOverrides) {
        BrokerSettings settings = BrokerSettings.from(ConfigFactory.parseMap(brokerOverrides)
                .withFallback(ConfigFactory.parseMap(Map.of("vitals.broker.uri", broker.uri().toString())))
                .withFallback(ConfigFactory.defaultReference()).resolve());
        TaskPublisher publisher = new TaskPublisher(JSON, settings.publishTimeout());
        link = new BrokerLink(settings, "publisher-test", List.of(publisher));
        link.connectInBackground();
        await().atMost(Duration.ofSeconds(10)).until(link::isConnected);
        return publisher;
    }

    @Test
    void publishesAPersistentJsonTaskMessageThatExpiresWithTheTask() throws Exception {
        TaskPublisher publisher = connectedPublisher(rabbit, Map.of());
        UUID taskId = UUID.randomUUID();

        publisher.publish(taskId, CREATED, "{\"checks\": [\"cpu\"]}", Duration.ofSeconds(30), null).get();

        try (Channel channel = rabbit.newConnection().createChannel()) {
            GetResponse message = channel.basicGet(Topology.TASK_QUEUE, true);
            assertThat(message).isNotNull();
            assertThat(message.getProps().getMessageId()).isEqualTo(taskId.toString());
            assertThat(message.getProps().getType()).isEqualTo("health_check");
            assertThat(message.getProps().getContentType()).isEqualTo("application/json");
            assertThat(message.getProps().getDeliveryMode()).isEqualTo(2);
            assertThat(message.getProps().getExpiration()).isEqualTo("30000");
            JsonNode body = JSON.readTree(message.getBody());
            assertThat(body.get("task_id").asText()).isEqualTo(taskId.toString());
            assertThat(body.get("task_type").asText()).isEqualTo("health_check");
            assertThat(body.get("created_at").asText()).isEqualTo("2026-11-22T10:15:30.123Z");
            assertThat(body.get("payload")).isEqualTo(JSON.readTree("{\"checks\": [\"cpu\"]}"));
        }
    }

    @Test
    void failsOnceTheQueueIsFull() throws Exception {
        TaskPublisher publisher = connectedPublisher(tinyQueue, Map.of("vitals.broker.task-queue.max-length", 1));

        // A quorum queue's limit is soft: it may take a message past it before it starts refusing.
        CompletableFuture<Void> refused = null;
        for (int i = 0; i < 5 && refused == null; i++) {
            CompletableFuture<Void> published = publisher.publish(UUID.randomUUID(), CREATED, "{}", Duration.ofSeconds(30), null);
            await().atMost(Duration.ofSeconds(10)).until(published::isDone);
            if (published.isCompletedExceptionally()) {
                refused = published;
            }
        }

        assertThat(refused).as("a publish refused within 5 tries").isNotNull();
        assertThat(refused).failsWithin(Duration.ZERO).withThrowableThat()
                .havingRootCause().isInstanceOf(PublishRefusedException.class);
    }

    @Test
    void failsAtOnceWhenNotConnected() {
        TaskPublisher publisher = new TaskPublisher(JSON, Duration.ofSeconds(5));

        CompletableFuture<Void> published = publisher.publish(UUID.randomUUID(), CREATED, "{}", Duration.ofSeconds(30), null);

        assertThat(published).isCompletedExceptionally();
        assertThat(publisher.isReady()).isFalse();
    }

    @Test
    void publishesATaskForOneWorkerToThatWorkersQueue() throws Exception {
        TaskPublisher publisher = connectedPublisher(rabbit, Map.of());
        UUID taskId = UUID.randomUUID();
        try (Channel channel = rabbit.newConnection().createChannel()) {
            channel.queueDeclare(Topology.workerQueue("w-7"), true, false, false, Map.of());

            publisher.publish(taskId, CREATED, "{}", Duration.ofSeconds(30), "w-7").get();

            GetResponse message = channel.basicGet(Topology.workerQueue("w-7"), true);
            assertThat(message).isNotNull();
            assertThat(message.getProps().getMessageId()).isEqualTo(taskId.toString());
            assertThat(JSON.readTree(message.getBody()).get("task_id").asText()).isEqualTo(taskId.toString());
        }
    }

    @Test
    void aTaskForAWorkerWithoutAQueueFailsAsUnroutable() {
        TaskPublisher publisher = connectedPublisher(rabbit, Map.of());

        CompletableFuture<Void> published = publisher.publish(UUID.randomUUID(), CREATED, "{}", Duration.ofSeconds(30),
                "gone-worker");

        assertThat(published).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingRootCause().isInstanceOf(dev.vitals.broker.UnroutableException.class)
                .withMessageContaining("maintenance_tasks.worker.gone-worker");
    }
}
