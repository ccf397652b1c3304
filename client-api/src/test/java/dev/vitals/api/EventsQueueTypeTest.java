package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.api.support.TestApis;
import dev.vitals.testing.RabbitMqExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API's events queue is a classic queue unless configured otherwise, and a queue that already exists
 * with the other type (made by an earlier version) is used as it is instead of keeping the API from
 * connecting.
 */
class EventsQueueTypeTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension apis = ApiExtension.on(rabbit).startedByTests();

    @Test
    void theEventsQueueIsDeclaredClassicByDefault() throws Exception {
        try (Api api = apis.start(Map.of("vitals.api.events-queue", "events-default"))) {
            completesATask(api);
        }

        try (Connection connection = rabbit.newConnection()) {
            assertThat(isOfType(connection, "events-default", "classic")).isTrue();
            assertThat(isOfType(connection, "events-default", "quorum")).isFalse();
        }
    }

    @Test
    void anEventsQueueThatExistsAsQuorumIsUsedAsItIs() throws Exception {
        try (Connection connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDeclare("events-made-earlier", true, false, false, Map.of("x-queue-type", "quorum"));
        }

        try (Api api = apis.start(Map.of("vitals.api.events-queue", "events-made-earlier"))) {
            completesATask(api);
        }

        try (Connection connection = rabbit.newConnection()) {
            assertThat(isOfType(connection, "events-made-earlier", "quorum")).isTrue();
        }
    }

    @Test
    void aQuorumEventsQueueCanBeChosen() throws Exception {
        try (Api api = apis.start(Map.of("vitals.api.events-queue", "events-quorum",
                "vitals.api.events-queue-type", "quorum"))) {
            completesATask(api);
        }

        try (Connection connection = rabbit.newConnection()) {
            assertThat(isOfType(connection, "events-quorum", "quorum")).isTrue();
        }
    }

    /** A task posted to the API completes with the report a worker publishes: its events reached the API. */
    private static void completesATask(Api api) throws Exception {
        HttpCalls http = new HttpCalls(api.port());
        try (Connection connection = rabbit.newConnection()) {
            FakeWorker worker = new FakeWorker(connection, "worker-" + UUID.randomUUID().toString().substring(0, 8),
                    apis.brokerSettings());
            HttpResponse<String> posted = http.post("/api/v1/health-checks", "{}");
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            UUID taskId = UUID.fromString(json(posted).get("task_id").asText());
            worker.ack(worker.take(taskId));
            worker.started(taskId);
            worker.completed(worker.report(taskId, "healthy"));

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(json(http.get("/api/v1/health-checks/" + taskId)).get("status").asText())
                            .isEqualTo("completed"));
        }
    }

    /** Whether the queue exists with this type: declaring it so again succeeds only then. */
    private static boolean isOfType(Connection connection, String queue, String type) throws Exception {
        Channel channel = connection.createChannel();
        try {
            channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", type));
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            if (channel.isOpen()) {
                channel.close();
            }
        }
    }

    @Test
    void theQueueTypeIsCheckedAtStartUp() {
        assertThatThrownBy(() -> ApiConfig.from(TestApis.config(rabbit.uri().toString(), "jdbc:h2:mem:unused",
                Map.of("vitals.api.events-queue-type", "stream"))))
                .hasMessageContaining("vitals.api.events-queue-type")
                .hasMessageContaining("classic or quorum");
    }
}
