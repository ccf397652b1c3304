package dev.vitals.e2e;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.testing.RabbitMqExtension;
import dev.vitals.worker.Worker;
import dev.vitals.worker.WorkerConfig;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The canary (vitals.api.canary) against a real broker and a real worker, in process: the pipeline component of
 * /health/ready goes down within the canary's timeout once no worker consumes, and up again once one does; canaries
 * stay out of listings, the history and the task metrics.
 */
class CanaryPipelineTest {

    private static final Duration INTERVAL = Duration.ofMillis(300);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit)
            .with("vitals.api.canary.interval", INTERVAL.toMillis() + "ms")
            .with("vitals.api.canary.timeout", TIMEOUT.toMillis() + "ms")
            .with("vitals.api.canary.required-for-ready", true)
            .with("vitals.api.history.settle", "0s")
            .with("vitals.api.history.record-interval", "100ms");

    private Worker worker;

    @AfterEach
    void stopWorker() {
        if (worker != null) {
            worker.close();
        }
    }

    private static Worker startWorker(String id) throws Exception {
        var config = ConfigFactory.parseMap(Map.of(
                        "vitals.broker.uri", rabbit.uri().toString(),
                        "vitals.worker.id", id,
                        "vitals.worker.health.port", 0,
                        "vitals.worker.cpu.sample-interval", "200ms"))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        return Worker.start(WorkerConfig.from(config, "canary-host"), Clock.systemUTC(), () -> false);
    }

    private static JsonNode pipeline() {
        return json(api.http().get("/health/ready")).path("checks").path("pipeline");
    }

    @Test
    void pipelineGoesDownWithinTheTimeoutWhenNoWorkerConsumesAndUpAgainWhenOneDoes() throws Exception {
        worker = startWorker("canary-worker-1");
        await("pipeline up").atMost(Duration.ofSeconds(20)).until(() -> pipeline().path("status").asText().equals("up"));
        assertThat(pipeline().path("detail").asText()).contains("came back in", "canary-worker-1");
        assertThat(api.http().get("/health/ready").statusCode()).isEqualTo(200);

        worker.close();
        worker = null;
        Instant stopped = Instant.now();
        // A canary sent just before the stop may still come back; the next one cannot.
        await("pipeline down").atMost(INTERVAL.plus(TIMEOUT).multipliedBy(2).plusSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> pipeline().path("status").asText().equals("down"));
        Duration tookToGoDown = Duration.between(stopped, Instant.now());
        HttpResponse<String> ready = api.http().get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(json(ready).path("checks").path("pipeline").path("detail").asText())
                .contains("did not come back within 2000 ms");
        assertThat(json(ready).path("checks").path("broker").path("status").asText()).isEqualTo("up");
        assertThat(tookToGoDown).isLessThan(INTERVAL.plus(TIMEOUT).multipliedBy(2).plusSeconds(2));
        assertThat(metric("vitals_api_canary_failures_total")).isGreaterThanOrEqualTo(1);

        worker = startWorker("canary-worker-2");
        await("pipeline up again").atMost(TIMEOUT.plus(INTERVAL).plusSeconds(15))
                .until(() -> pipeline().path("status").asText().equals("up"));
        assertThat(pipeline().path("detail").asText()).contains("canary-worker-2");
        assertThat(api.http().get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void canariesAreListedOnlyWhenAskedForAndNeverRecorded() throws Exception {
        worker = startWorker("canary-worker-3");
        await("canaries came back").atMost(Duration.ofSeconds(20))
                .until(() -> metric("vitals_api_canary_round_trip_seconds_count") >= 3);

        JsonNode canaries = json(api.http().get("/api/v1/health-checks?canary=true&limit=1000")).path("tasks");
        assertThat(canaries.size()).isGreaterThanOrEqualTo(3);
        for (JsonNode canary : canaries) {
            assertThat(canary.path("canary").asBoolean()).isTrue();
            assertThat(canary.path("target").asText()).isEqualTo("any");
        }
        JsonNode completed = null;
        for (JsonNode canary : canaries) {
            if (canary.path("status").asText().equals("completed")) {
                completed = canary;
            }
        }
        assertThat(completed).as("a completed canary").isNotNull();
        assertThat(completed.path("result").path("checks").fieldNames()).toIterable().containsExactly("threads");
        JsonNode byId = json(api.http().get("/api/v1/health-checks/" + completed.path("task_id").asText()));
        assertThat(byId.path("canary").asBoolean()).isTrue();

        assertThat(json(api.http().get("/api/v1/health-checks?limit=1000")).path("tasks")).isEmpty();
        assertThat(api.http().get("/api/v1/health-checks?canary=maybe").statusCode()).isEqualTo(400);

        // An ordinary task is listed, recorded in the worker's history, and counted; the canaries are none of these.
        HttpResponse<String> task = api.http().post("/api/v1/health-checks?wait=10", "{\"checks\": [\"threads\"]}");
        assertThat(task.statusCode()).isEqualTo(200);
        String taskId = json(task).path("task_id").asText();
        assertThat(json(api.http().get("/api/v1/health-checks")).path("tasks")).extracting(t -> t.path("task_id").asText())
                .containsExactly(taskId);
        await("the task recorded").atMost(Duration.ofSeconds(10)).until(() ->
                json(api.http().get("/api/v1/workers/canary-worker-3/history?check=threads")).path("points").size() >= 1);
        assertThat(json(api.http().get("/api/v1/workers/canary-worker-3/history?check=threads")).path("points"))
                .hasSize(1);
        assertThat(metric("vitals_api_tasks_submitted_total")).isEqualTo(1);
    }

    /** The sum of a metric's series, 0 when it has none. */
    private static double metric(String name) {
        String text = api.http().get("/metrics").body();
        Matcher lines = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        double sum = 0;
        while (lines.find()) {
            sum += Double.parseDouble(lines.group(2));
        }
        return sum;
    }
}
