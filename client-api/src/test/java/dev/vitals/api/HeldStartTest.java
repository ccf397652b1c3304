package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.QueueInfo;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code task.started} is held back a moment: alone, it is stored once the hold is over; followed by its
 * task's {@code task.completed}, both are stored together, the start recorded with the completion, and a
 * start arriving after that changes nothing. Either way every event is acknowledged.
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
    }

    /**
     * Stored together, the task never went through a separate update to 'running' that a later start could
     * repeat. The late start is awaited until it was stored and acknowledged, on a replica of its own whose
     * events queue and store are its own too: the events its broker client acknowledged are this test's alone,
     * and so is every task it lists.
     */
    @Test
    void aStartArrivingAfterItsTaskWasStoredWithItsCompletionChangesNothing() {
        HttpCalls alone = new HttpCalls(api.start(Map.of("vitals.api.events-queue", "held-start-late")).port());
        UUID taskId = submit(alone);
        worker.ack(worker.take(taskId));
        worker.started(taskId);
        worker.completed(worker.report(taskId, "healthy"));
        await().atMost(Duration.ofSeconds(5)).until(() -> acknowledgedEvents(alone) == 2); // the start and the end
        assertThat(task(alone, taskId).get("status").asText()).isEqualTo("completed");

        worker.started(taskId);

        await().atMost(Duration.ofSeconds(5)).until(() -> acknowledgedEvents(alone) == 3);
        // Listed, the task is read from the store (by its id, an ended task may be answered from memory).
        JsonNode listed = json(alone.get("/api/v1/health-checks")).get("tasks");
        assertThat(listed).hasSize(1);
        JsonNode task = listed.get(0);
        assertThat(task.get("task_id").asText()).isEqualTo(taskId.toString());
        assertThat(task.get("status").asText()).isEqualTo("completed");
        assertThat(task.get("started_at").asText()).isEqualTo("2026-11-22T10:15:31.000Z");
        assertThat(task.get("result").get("status").asText()).isEqualTo("healthy");
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

    private static UUID submit() {
        return submit(http);
    }

    private static UUID submit(HttpCalls replica) {
        HttpResponse<String> posted = replica.post("/api/v1/health-checks", "{}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        return UUID.fromString(json(posted).get("task_id").asText());
    }

    private static JsonNode task(UUID taskId) {
        return task(http, taskId);
    }

    private static JsonNode task(HttpCalls replica, UUID taskId) {
        return json(replica.get("/api/v1/health-checks/" + taskId));
    }

    /**
     * Deliveries the replica's broker client acknowledged, from its {@code /metrics}: the events it stored (the
     * hints every replica takes for itself are taken without acknowledgement, and not counted).
     */
    private static long acknowledgedEvents(HttpCalls replica) {
        String metrics = replica.get("/metrics").body();
        return Math.round(metrics.lines().filter(line -> line.startsWith("vitals_api_rabbitmq_acknowledged_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum());
    }

    private static void everyEventAcknowledged() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            QueueInfo events = rabbit.queue("vitals.api.events").orElseThrow();
            assertThat(events.messagesReady()).isZero();
            assertThat(events.messagesUnacknowledged()).isZero();
        });
    }
}
