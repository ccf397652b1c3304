package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.EventStreamReader;
import dev.vitals.api.support.EventStreamReader.Event;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/v1/stream} with two API replicas on one PostgreSQL store: a reader of either replica sees what
 * happened through the other, and one that reconnects with {@code Last-Event-ID}, to either, gets what it missed.
 */
class ApiStreamTest {

    private static final Duration SOON = Duration.ofSeconds(20);

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit).store(postgres)
            .with("vitals.api.history.settle", "0s").with("vitals.api.history.record-interval", "100ms")
            .with("vitals.api.stream.poll-interval", "200ms");

    private static JdbcTaskStore tasks;

    @BeforeAll
    static void openStore() {
        tasks = api.taskStore();
    }

    @Test
    void aReaderOfOneReplicaSeesTasksStatesAndAlertsOfTheOther() throws Exception {
        Api second = api.start(Map.of());
        HttpCalls first = api.http();
        FakeWorker worker = api.fakeWorker("streamed-worker-1");
        worker.heartbeat();
        try (EventStreamReader stream = new EventStreamReader(second.port(), null)) {
            Event hello = stream.next(e -> true, SOON);
            assertThat(hello.type()).isEqualTo("snapshot");
            assertThat(hello.data().path("reason").asText()).isEqualTo("connected");
            assertThat(hello.id()).matches("\\d+-\\d+-\\d+");

            UUID failed = ApiWorkerStateTest.scheduledRun(tasks, first, worker, 97.1);
            Event ended = stream.next(e -> e.type().equals("task") && e.data().path("task_id").asText().equals(failed.toString()), SOON);
            assertThat(ended.data().path("status").asText()).isEqualTo("completed");
            assertThat(ended.data().path("worker_id").asText()).isEqualTo(worker.workerId());
            assertThat(ended.data().path("schedule").asText()).isEqualTo("every-30s");
            Event degraded = stream.next(e -> e.type().equals("state") && e.data().at("/transition/check").isNull(), SOON);
            assertThat(degraded.data().path("worker_id").asText()).isEqualTo(worker.workerId());
            assertThat(degraded.data().at("/transition/to").asText()).isEqualTo("degraded");
            assertThat(degraded.data().at("/transition/reason/check").asText()).isEqualTo("disk");

            ApiWorkerStateTest.scheduledRun(tasks, first, worker, 97.1);
            ApiWorkerStateTest.scheduledRun(tasks, first, worker, 97.1);
            Event opened = stream.next(e -> e.type().equals("alert"), SOON);
            assertThat(opened.data().path("worker_id").asText()).isEqualTo(worker.workerId());
            assertThat(opened.data().path("status").asText()).isEqualTo("open");
            assertThat(opened.data().path("cause").asText()).isEqualTo("unhealthy");
            assertThat(stream.seen()).filteredOn(e -> e.type().equals("task")).extracting(e -> e.data().path("task_id").asText())
                    .as("each ended task once").doesNotHaveDuplicates();
        }
    }

    @Test
    void aReaderThatReconnectsWithItsLastEventIdGetsWhatHappenedMeanwhileFromEitherReplica() throws Exception {
        Api second = api.start(Map.of());
        HttpCalls first = api.http();
        FakeWorker worker = api.fakeWorker("streamed-worker-2");
        worker.heartbeat();
        String lastEventId;
        try (EventStreamReader stream = new EventStreamReader(api.port(), null)) {
            lastEventId = stream.next(e -> true, SOON).id();
        }
        UUID missed = ApiWorkerStateTest.scheduledRun(tasks, first, worker, 50);

        try (EventStreamReader resumed = new EventStreamReader(second.port(), lastEventId)) {
            Event ended = resumed.next(e -> e.type().equals("task") && e.data().path("task_id").asText().equals(missed.toString()), SOON);
            assertThat(ended.data().path("status").asText()).isEqualTo("completed");
            assertThat(resumed.seen().getFirst().type()).as("no snapshot: it went on from its position").isNotEqualTo("snapshot");
            Event healthy = resumed.next(e -> e.type().equals("state") && e.data().path("worker_id").asText().equals(worker.workerId())
                    && e.data().at("/transition/check").isNull(), SOON);
            assertThat(healthy.data().at("/transition/to").asText()).isEqualTo("healthy");
        }
        try (EventStreamReader unknown = new EventStreamReader(second.port(), "not-a-position")) {
            Event first1 = unknown.next(e -> true, SOON);
            assertThat(first1.type()).isEqualTo("snapshot");
            assertThat(first1.data().path("reason").asText()).isEqualTo("unknown last event id");
        }
    }

    @Test
    void aCallerThatDoesNotAcceptEventsIsToldHowToAsk() {
        HttpResponse<String> answer = api.http().get("/api/v1/stream");
        assertThat(answer.statusCode()).isEqualTo(406);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(json(answer).path("detail").asText()).contains("Accept: text/event-stream");
    }
}
