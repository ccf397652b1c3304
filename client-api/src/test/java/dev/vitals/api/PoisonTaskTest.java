package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.broker.Topology;
import dev.vitals.testing.RabbitMqExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A task whose message is handed back again and again (a worker that crashes on it, or refuses it with
 * requeue) is dead-lettered by the queue after its delivery limit, and the task ends failed, saying so.
 */
class PoisonTaskTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private static final int DELIVERY_LIMIT = 3;

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit)
            .with("vitals.broker.task-queue.delivery-limit", DELIVERY_LIMIT);

    @Test
    void aTaskHandedBackForeverEndsFailedAfterTheDeliveryLimit() throws Exception {
        try (Connection connection = rabbit.newConnection()) {
            HttpCalls http = api.http();
            AtomicInteger deliveries = new AtomicInteger();
            Channel channel = connection.createChannel();
            channel.basicConsume(Topology.TASK_QUEUE, false, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                        byte[] body) throws IOException {
                    deliveries.incrementAndGet();
                    channel.basicReject(envelope.getDeliveryTag(), true);
                }
            });

            HttpResponse<String> posted = http.post("/api/v1/health-checks", "{}");
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            UUID taskId = UUID.fromString(json(posted).get("task_id").asText());

            await().atMost(Duration.ofSeconds(15)).until(() ->
                    json(http.get("/api/v1/health-checks/" + taskId)).get("status").asText().equals("failed"));
            JsonNode task = json(http.get("/api/v1/health-checks/" + taskId));
            assertThat(task.get("error").asText()).contains("delivery limit reached");
            assertThat(deliveries.get()).as("deliveries before the broker gave up")
                    .isBetween(DELIVERY_LIMIT, DELIVERY_LIMIT + 1);
        }
    }
}
