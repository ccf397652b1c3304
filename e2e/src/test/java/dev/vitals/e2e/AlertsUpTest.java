package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.alert.channel.WebhookChannel;
import dev.vitals.api.support.Receiver;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.RabbitMqExtension;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts as a user meets them: {@code bin/vitals up} with {@code VITALS_ALERTS_WEBHOOK_URL} pointing at a receiver,
 * and a schedule for one of its workers whose thresholds put its disk in error. The receiver gets one signed "opened" after the third
 * run and nothing more while it keeps failing; thresholds made normal again, it gets one "resolved".
 */
class AlertsUpTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private static final String SECRET = "up-test-secret";
    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path data;

    @Test
    void aDiskInErrorIsAlertedOnceAndItsRecoveryOnce() throws Exception {
        int apiPort = FreePorts.freePort();
        String api = "http://127.0.0.1:" + apiPort;
        try (Receiver receiver = new Receiver(); Launcher launcher = new Launcher()) {
            Map<String, String> env = Launcher.upEnvironment(rabbit.uri(), apiPort, UpTest.twoFreePorts(), data);
            env.put("VITALS_ALERTS_WEBHOOK_URL", receiver.uri("/hook").toString());
            env.put("VITALS_ALERTS_WEBHOOK_SECRET", SECRET);
            env.put("VITALS_API_SCHEDULES", "[]"); // only the schedule below, so that its runs alone make the state
            env.put("JAVA_OPTS", "-Dvitals.api.schedule.min-interval=1s -Dvitals.api.history.settle=0s");
            Launcher.Command up = launcher.start("up-alerts", env, "up");
            await().atMost(STARTUP).until(() -> up.logText().contains("vitals: ready: the API on"));

            await().atMost(STARTUP).until(() -> Rig.json(Rig.get(api + "/api/v1/workers?alive=true"))
                    .path("workers").size() == 2);
            String workerId = Rig.json(Rig.get(api + "/api/v1/workers?alive=true")).path("workers").get(0)
                    .path("worker_id").asText();
            HttpResponse<String> created = Rig.post(api + "/api/v1/schedules", "{\"name\": \"disk-error\","
                    + " \"target\": \"" + workerId + "\", \"checks\": [\"disk\"], \"thresholds\": {\"disk\":"
                    + " {\"warning\": 1, \"error\": 2}}, \"interval_seconds\": 2}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            Receiver.Request opened = receiver.next(60);
            assertThat(opened).as("an opened notification; up said: %s", up.logText()).isNotNull();
            assertThat(opened.header(WebhookChannel.SIGNATURE_HEADER))
                    .isEqualTo(WebhookChannel.signature(SECRET, opened.body()));
            JsonNode body = Rig.JSON.readTree(opened.body());
            assertThat(body.path("kind").asText()).isEqualTo("opened");
            assertThat(body.at("/alert/check").asText()).isEqualTo("disk");
            assertThat(body.at("/alert/last_runs").size()).isGreaterThanOrEqualTo(3);
            assertThat(body.at("/alert/worker_id").asText()).isEqualTo(workerId);
            JsonNode state = Rig.json(Rig.get(api + "/api/v1/workers/" + workerId)).path("state");
            assertThat(state.path("status").asText()).isEqualTo("unhealthy");
            assertThat(state.path("consecutive_failures").asInt()).isGreaterThanOrEqualTo(3);

            assertThat(receiver.next(10)).as("nothing more while the disk stays in error").isNull();

            HttpResponse<String> normal = Rig.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/schedules/disk-error"))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"target\": \"" + workerId + "\","
                            + " \"checks\": [\"disk\"], \"interval_seconds\": 2}"))
                    .build());
            assertThat(normal.statusCode()).as(normal.body()).isEqualTo(200);

            Receiver.Request resolved = receiver.next(60);
            assertThat(resolved).as("a resolved notification").isNotNull();
            assertThat(Rig.JSON.readTree(resolved.body()).path("kind").asText()).isEqualTo("resolved");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode alerts = Rig.json(Rig.get(api + "/api/v1/alerts")).path("alerts");
                assertThat(alerts).hasSize(1);
                assertThat(alerts.get(0).path("status").asText()).isEqualTo("resolved");
                assertThat(alerts.get(0).path("notifications")).extracting(n -> n.path("kind").asText() + "/"
                        + n.path("status").asText()).containsExactly("opened/sent", "resolved/sent");
            });
            assertThat(receiver.requests()).hasSize(2);
            assertThat(up.terminate(Duration.ofSeconds(30))).as(up.logText()).isZero();
        }
    }
}
