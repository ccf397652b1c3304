package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.alert.channel.WebhookChannel;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.api.support.Receiver;
import dev.vitals.testing.RabbitMqExtension;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Alerts end to end on one replica: scheduled runs reported by a worker over the broker, recorded as runs and
 * states, open an alert on the third failure and resolve it after two good runs; a real webhook receiver gets
 * one signed notification for each, and {@code GET /api/v1/alerts} shows them sent.
 */
class ApiAlertsTest {

    private static final String SECRET = "alerts-test-secret";
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Receiver receiver = new Receiver();

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit)
            .with("vitals.api.history.settle", "0s").with("vitals.api.history.record-interval", "100ms")
            .with("vitals.api.alerts.webhook.url", receiver.uri("/vitals").toString())
            .with("vitals.api.alerts.webhook.secret", SECRET)
            .with("vitals.api.alerts.public-url", "http://vitals.example:8080");

    private static JdbcTaskStore tasks;
    private static HttpCalls http;

    @BeforeAll
    static void openStore() {
        tasks = api.taskStore();
        http = api.http();
    }

    @AfterAll
    static void close() {
        receiver.close();
    }

    @Test
    void theThirdFailedRunOpensOneSignedAlertAndTwoGoodRunsResolveIt() throws Exception {
        FakeWorker worker = api.fakeWorker("alert-worker-1");
        worker.heartbeat();
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/v1/workers/alert-worker-1").statusCode() == 200);

        UUID first = ApiWorkerStateTest.scheduledRun(tasks, http, worker, 97.1);
        ApiWorkerStateTest.scheduledRun(tasks, http, worker, 97.1);
        awaitState("degraded");
        assertThat(receiver.next(1)).as("nothing before the third failure").isNull();
        UUID third = ApiWorkerStateTest.scheduledRun(tasks, http, worker, 97.1);

        Receiver.Request opened = receiver.next(15);
        assertThat(opened).as("an opened notification").isNotNull();
        assertThat(opened.header(WebhookChannel.SIGNATURE_HEADER))
                .isEqualTo(WebhookChannel.signature(SECRET, opened.body()));
        JsonNode body = MAPPER.readTree(opened.body());
        assertThat(body.get("kind").asText()).isEqualTo("opened");
        assertThat(body.at("/alert/worker_id").asText()).isEqualTo("alert-worker-1");
        assertThat(body.at("/alert/hostname").asText()).isEqualTo("fake-host");
        assertThat(body.at("/alert/check").asText()).isEqualTo("disk");
        assertThat(body.at("/alert/reason").asText()).isEqualTo("disk error at 97.1 (error at 95)");
        assertThat(body.at("/alert/checks/0/value").asDouble()).isEqualTo(97.1);
        assertThat(body.at("/alert/checks/0/warning").asDouble()).isEqualTo(90.0);
        assertThat(body.at("/alert/last_runs").toString()).isEqualTo("[\"error\",\"error\",\"error\"]");
        assertThat(body.at("/alert/task_id").asText()).isEqualTo(third.toString()).isNotEqualTo(first.toString());
        assertThat(body.at("/alert/links/task").asText())
                .isEqualTo("http://vitals.example:8080/api/v1/health-checks/" + third);

        ApiWorkerStateTest.scheduledRun(tasks, http, worker, 97.1); // still failing: no second notification
        ApiWorkerStateTest.scheduledRun(tasks, http, worker, 50);
        assertThat(receiver.next(2)).as("one good run does not end it").isNull();
        ApiWorkerStateTest.scheduledRun(tasks, http, worker, 50);

        Receiver.Request resolved = receiver.next(15);
        assertThat(resolved).as("a resolved notification").isNotNull();
        JsonNode resolvedBody = MAPPER.readTree(resolved.body());
        assertThat(resolvedBody.get("kind").asText()).isEqualTo("resolved");
        assertThat(resolvedBody.at("/alert/status").asText()).isEqualTo("resolved");
        assertThat(resolvedBody.at("/alert/duration_seconds").isIntegralNumber()).isTrue();
        assertThat(receiver.requests()).hasSize(2);

        JsonNode alerts = json(http.get("/api/v1/alerts?worker_id=alert-worker-1")).path("alerts");
        assertThat(alerts).hasSize(1);
        JsonNode alert = alerts.get(0);
        assertThat(alert.path("status").asText()).isEqualTo("resolved");
        assertThat(alert.path("cause").asText()).isEqualTo("unhealthy");
        assertThat(alert.path("notifications")).extracting(n -> n.path("kind").asText() + "/" + n.path("status").asText())
                .containsExactly("opened/sent", "resolved/sent");
        assertThat(http.get("/metrics").body()).contains("vitals_api_notifications_total{channel=\"webhook\",kind=\"opened\",status=\"sent\"} 1.0");
    }

    private static void awaitState(String status) {
        await().atMost(Duration.ofSeconds(10)).until(() -> json(http.get("/api/v1/workers/alert-worker-1"))
                .path("state").path("status").asText().equals(status));
    }
}
