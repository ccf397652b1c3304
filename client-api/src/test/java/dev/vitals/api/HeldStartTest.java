package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.messaging.EventConsumer;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.QueueInfo;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code task.started} is held back a moment: alone, it is stored once the hold is over; followed by its
 * task's {@code task.completed}, both are stored together, the start recorded with the completion. Either
 * way every event is acknowledged.
 */
class HeldStartTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit);

    private static HttpCalls http;
    private static FakeWorker worker;

    @BeforeAll
    static void start() throws Exception {
        http = api.http();
        worker = api.fakeWorker("held-start-worker");
    }

    @Test
    void aStartAloneIsStoredOnceItsHoldIsOver() throws Exception {
        UUID taskId = submit();
        worker.ack(worker.take(taskId));

        worker.started(taskId);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode task = task(taskId);
            assertThat(task.get("status").asText()).isEqualTo("running");
            assertThat(task.get("started_at").asText()).isEqualTo("2026-11-22T10:15:31.000Z");
            assertThat(task.get("worker_id").asText()).isEqualTo(worker.workerId());
        });
        everyEventAcknowledged();
    }

    @Test
    void aStartFollowedByItsCompletionIsStoredWithIt() throws Exception {
        UUID taskId = submit();
        worker.ack(worker.take(taskId));

        worker.started(taskId);
        worker.completed(worker.report(taskId, "healthy"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(task(taskId).get("status").asText()).isEqualTo("completed"));
        JsonNode task = task(taskId);
        assertThat(task.get("started_at").asText()).isEqualTo("2026-11-22T10:15:31.000Z");
        assertThat(task.get("worker_id").asText()).isEqualTo(worker.workerId());
        everyEventAcknowledged();
        // Stored together: the task never went through a separate update to 'running' that a later start
        // could repeat; a start arriving now changes nothing.
        worker.started(taskId);
        Thread.sleep(3 * EventConsumer.START_HOLD.toMillis());
        assertThat(task(taskId).get("status").asText()).isEqualTo("completed");
        everyEventAcknowledged();
    }

    @Test
    void aStartFollowedByItsFailureIsStoredBeforeIt() throws Exception {
        UUID taskId = submit();
        worker.ack(worker.take(taskId));

        worker.started(taskId);
        worker.failed(taskId, "could not read the machine");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(task(taskId).get("status").asText()).isEqualTo("failed"));
        JsonNode task = task(taskId);
        assertThat(task.get("started_at").asText()).isEqualTo("2026-11-22T10:15:31.000Z");
        assertThat(task.get("error").asText()).isEqualTo("could not read the machine");
        everyEventAcknowledged();
    }

    private static UUID submit() throws Exception {
        HttpResponse<String> posted = http.post("/api/v1/health-checks", "{}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        return UUID.fromString(json(posted).get("task_id").asText());
    }

    private static JsonNode task(UUID taskId) throws Exception {
        return json(http.get("/api/v1/health-checks/" + taskId));
    }

    private static void everyEventAcknowledged() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            QueueInfo events = rabbit.queue("vitals.api.events").orElseThrow();
            assertThat(events.messagesReady()).isZero();
            assertThat(events.messagesUnacknowledged()).isZero();
        });
    }
}
