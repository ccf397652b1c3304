package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.api.support.TestApis;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /api/v1/schedules} on one replica, and the tasks their runs create. */
class ApiSchedulesTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    /** Schedules every second allowed; one schedule declared in the configuration. */
    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit)
            .with("vitals.api.schedule.min-interval", "1s")
            .with("vitals.api.schedule.poll-interval", "200ms")
            .with("vitals.api.schedules", List.of(Map.of("name", "declared", "target", "all", "checks", List.of("disk"),
                    "interval_seconds", 3600)));

    private static HttpCalls http;

    @BeforeAll
    static void start() {
        http = api.http();
    }

    private static JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        return json(response);
    }

    private static JsonNode create(String body) {
        HttpResponse<String> response = http.post("/api/v1/schedules", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response);
    }

    private static List<JsonNode> tasksOf(String schedule) {
        List<JsonNode> tasks = new ArrayList<>();
        json(http.get("/api/v1/health-checks?limit=1000&schedule=" + schedule)).path("tasks").forEach(tasks::add);
        return tasks;
    }

    @Test
    void postAnswers201WithTheScheduleAndItsLocation() {
        Instant before = Instant.now();
        HttpResponse<String> response = http.post("/api/v1/schedules", "{\"name\": \"disks\", \"target\": \"all\","
                + " \"checks\": [\"disk\"], \"thresholds\": {\"disk\": {\"warning\": 70, \"error\": 85}},"
                + " \"interval_seconds\": 3600, \"enabled\": false}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).contains("/api/v1/schedules/disks");
        JsonNode schedule = json(response);
        assertThat(schedule.path("name").asText()).isEqualTo("disks");
        assertThat(schedule.path("target").asText()).isEqualTo("all");
        assertThat(schedule.path("checks").toString()).isEqualTo("[\"disk\"]");
        assertThat(schedule.path("thresholds").path("disk").path("warning").asDouble()).isEqualTo(70);
        assertThat(schedule.path("thresholds").path("disk").path("error").asDouble()).isEqualTo(85);
        assertThat(schedule.path("interval_seconds").asInt()).isEqualTo(3600);
        assertThat(schedule.path("enabled").asBoolean()).isFalse();
        assertThat(schedule.path("source").asText()).isEqualTo("api");
        assertThat(Instant.parse(schedule.path("created_at").asText())).isAfterOrEqualTo(before.minusMillis(1));
        assertThat(schedule.path("updated_at").asText()).isEqualTo(schedule.path("created_at").asText());
        assertThat(schedule.path("next_run_at").asText()).as("due at once").isEqualTo(schedule.path("created_at").asText());
        assertThat(schedule.path("last_run_at").isNull()).isTrue();
        assertThat(schedule.path("last_task_id").isNull()).isTrue();
        assertThat(json(http.get("/api/v1/schedules/disks"))).isEqualTo(schedule);
    }

    @Test
    void aScheduleWithoutChecksOrThresholdsShowsThemAsNull() {
        JsonNode schedule = create("{\"name\": \"plain\", \"interval_seconds\": 3600, \"enabled\": false}");

        assertThat(schedule.path("target").asText()).isEqualTo("any");
        assertThat(schedule.path("checks").isNull()).isTrue();
        assertThat(schedule.path("thresholds").isNull()).isTrue();
        assertThat(schedule.path("enabled").asBoolean()).isFalse();
    }

    @Test
    void aSecondScheduleOfTheSameNameIsRefused409() {
        create("{\"name\": \"twice\", \"interval_seconds\": 3600, \"enabled\": false}");

        JsonNode problem = problem(http.post("/api/v1/schedules", "{\"name\": \"twice\", \"interval_seconds\": 60}"), 409);

        assertThat(problem.path("field").asText()).isEqualTo("name");
        assertThat(problem.path("detail").asText()).contains("'twice' exists already");
    }

    @Test
    void schedulesAreListedByName() {
        create("{\"name\": \"list-b\", \"interval_seconds\": 3600, \"enabled\": false}");
        create("{\"name\": \"list-a\", \"interval_seconds\": 3600, \"enabled\": false}");

        List<String> names = new ArrayList<>();
        json(http.get("/api/v1/schedules")).path("schedules").forEach(s -> names.add(s.path("name").asText()));

        assertThat(names).contains("list-a", "list-b", "declared").isSorted();
    }

    @Test
    void putReplacesTheDefinitionAndKeepsWhenItWasMade() {
        JsonNode created = create("{\"name\": \"replaced\", \"interval_seconds\": 3600, \"enabled\": false}");

        HttpResponse<String> response = http.put("/api/v1/schedules/replaced",
                "{\"target\": \"any\", \"checks\": [\"cpu\", \"memory\"], \"interval_seconds\": 7200, \"enabled\": false}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode replaced = json(http.get("/api/v1/schedules/replaced"));
        assertThat(replaced).isEqualTo(json(response));
        assertThat(replaced.path("checks").toString()).isEqualTo("[\"cpu\",\"memory\"]");
        assertThat(replaced.path("interval_seconds").asInt()).isEqualTo(7200);
        assertThat(replaced.path("created_at")).isEqualTo(created.path("created_at"));
        assertThat(Instant.parse(replaced.path("updated_at").asText()))
                .isAfterOrEqualTo(Instant.parse(created.path("updated_at").asText()));
    }

    @Test
    void deleteAnswers204AndTheScheduleIsGone() {
        create("{\"name\": \"deleted\", \"interval_seconds\": 3600, \"enabled\": false}");

        assertThat(http.send("DELETE", "/api/v1/schedules/deleted").statusCode()).isEqualTo(204);

        problem(http.get("/api/v1/schedules/deleted"), 404);
    }

    @Test
    void anUnknownScheduleIs404ForGetPutAndDelete() {
        assertThat(problem(http.get("/api/v1/schedules/nothing"), 404).path("detail").asText())
                .contains("no schedule 'nothing'");
        problem(http.put("/api/v1/schedules/nothing", "{\"interval_seconds\": 60}"), 404);
        problem(http.send("DELETE", "/api/v1/schedules/nothing"), 404);
    }

    @ParameterizedTest(name = "{0} -> names {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"interval_seconds\": 60}|name",
            "{\"name\": \"Upper\", \"interval_seconds\": 60}|name",
            "{\"name\": \"bad\"}|interval_seconds",
            "{\"name\": \"bad\", \"interval_seconds\": 0}|interval_seconds",
            "{\"name\": \"bad\", \"interval_seconds\": 86401}|interval_seconds",
            "{\"name\": \"bad\", \"interval_seconds\": 60, \"target\": \"two words\"}|target",
            "{\"name\": \"bad\", \"interval_seconds\": 60, \"checks\": [\"gpu\"]}|checks[0]",
            "{\"name\": \"bad\", \"interval_seconds\": 60, \"thresholds\": {\"disk\": {\"warning\": 99, \"error\": 98}}}|thresholds.disk",
            "{\"name\": \"bad\", \"interval_seconds\": 60, \"enabled\": 1}|enabled",
            "{\"name\": \"bad\", \"interval_seconds\": 60, \"colour\": \"red\"}|body",
            "{\"name\": \"bad\", \"interval_seconds\": 60|body",
    })
    void aBadScheduleIsRefused400NamingTheField(String body, String field) {
        JsonNode problem = problem(http.post("/api/v1/schedules", body), 400);

        assertThat(problem.path("field").asText()).isEqualTo(field);
        assertThat(problem.path("detail").asText()).startsWith(field + ": ");
    }

    @Test
    void anEmptyBodyAndABadNameInThePathAreRefused400() {
        assertThat(problem(http.post("/api/v1/schedules", ""), 400).path("field").asText()).isEqualTo("body");
        assertThat(problem(http.get("/api/v1/schedules/Not%20A%20Name"), 400).path("field").asText()).isEqualTo("name");
        assertThat(problem(http.put("/api/v1/schedules/x", "{\"name\": \"y\", \"interval_seconds\": 60}"), 400)
                .path("field").asText()).isEqualTo("name");
    }

    @Test
    void theShortestIntervalIsTheConfiguredOne() {
        Api strict = api.start(Map.of("vitals.api.schedule.min-interval", "10s"));
        HttpCalls strictHttp = new HttpCalls(strict.port());

        JsonNode problem = problem(strictHttp.post("/api/v1/schedules", "{\"name\": \"fast\", \"interval_seconds\": 5}"),
                400);

        assertThat(problem.path("detail").asText()).isEqualTo("interval_seconds: must be from 10 to 86400 seconds"
                + " (1 day), got 5");
        assertThat(strictHttp.post("/api/v1/schedules", "{\"name\": \"fast\", \"interval_seconds\": 10}").statusCode())
                .isEqualTo(201);
    }

    @Test
    void aScheduleDeclaredInTheConfigurationIsReportedAsSuchAndCannotBeChangedThroughTheApi() {
        JsonNode declared = json(http.get("/api/v1/schedules/declared"));
        assertThat(declared.path("source").asText()).isEqualTo("config");
        assertThat(declared.path("target").asText()).isEqualTo("all");
        assertThat(declared.path("checks").toString()).isEqualTo("[\"disk\"]");
        assertThat(declared.path("interval_seconds").asInt()).isEqualTo(3600);

        JsonNode put = problem(http.put("/api/v1/schedules/declared", "{\"interval_seconds\": 60}"), 409);
        JsonNode delete = problem(http.send("DELETE", "/api/v1/schedules/declared"), 409);

        assertThat(put.path("detail").asText()).contains("declared in the configuration").contains("vitals.api.schedules");
        assertThat(delete.path("detail").asText()).contains("declared in the configuration");
        assertThat(json(http.get("/api/v1/schedules/declared"))).isEqualTo(declared);
    }

    @Test
    void runsCreateTasksThatNameTheirScheduleAndTheListFiltersByIt() {
        JsonNode onDemand = json(http.post("/api/v1/health-checks", "{}"));
        create("{\"name\": \"every-second\", \"checks\": [\"cpu\"], \"interval_seconds\": 1}");

        await().atMost(Duration.ofSeconds(10)).until(() -> tasksOf("every-second").size() >= 2);
        http.send("DELETE", "/api/v1/schedules/every-second");

        List<JsonNode> tasks = tasksOf("every-second");
        for (JsonNode task : tasks) {
            assertThat(task.path("schedule").asText()).isEqualTo("every-second");
            assertThat(task.path("target").asText()).isEqualTo("any");
            assertThat(json(http.get("/api/v1/health-checks/" + task.path("task_id").asText())).path("schedule")
                    .asText()).isEqualTo("every-second");
        }
        assertThat(onDemand.has("schedule")).as("an on-demand task's JSON is as the contract shows it").isFalse();
        assertThat(json(http.get("/api/v1/health-checks/" + onDemand.path("task_id").asText())).has("schedule"))
                .isFalse();
        assertThat(tasks).extracting(task -> task.path("task_id").asText())
                .doesNotContain(onDemand.path("task_id").asText());
    }

    @Test
    void theScheduleShowsItsLastRunAndTask() {
        create("{\"name\": \"shows-last\", \"interval_seconds\": 3600}");

        await().atMost(Duration.ofSeconds(10)).until(() -> !json(http.get("/api/v1/schedules/shows-last"))
                .path("last_task_id").isNull());

        JsonNode schedule = json(http.get("/api/v1/schedules/shows-last"));
        List<JsonNode> tasks = tasksOf("shows-last");
        assertThat(tasks).hasSize(1);
        assertThat(schedule.path("last_task_id").asText()).isEqualTo(tasks.getFirst().path("task_id").asText());
        Instant lastRun = Instant.parse(schedule.path("last_run_at").asText());
        assertThat(Instant.parse(schedule.path("next_run_at").asText()))
                .isEqualTo(Instant.parse(schedule.path("created_at").asText()).plusSeconds(3600));
        assertThat(lastRun).isAfterOrEqualTo(Instant.parse(schedule.path("created_at").asText()));
    }

    @Test
    void aRunWhoseWorkerIsNotAliveCreatesAFailedTaskCountedAsFailedAndTheScheduleGoesOn() {
        create("{\"name\": \"ghost\", \"target\": \"ghost-worker\", \"interval_seconds\": 1}");

        await().atMost(Duration.ofSeconds(10)).until(() -> tasksOf("ghost").size() >= 2);
        http.send("DELETE", "/api/v1/schedules/ghost");

        for (JsonNode task : tasksOf("ghost")) {
            assertThat(task.path("status").asText()).isEqualTo("failed");
            assertThat(task.path("error").asText()).contains("ghost-worker");
        }
        String metrics = http.get("/metrics").body();
        assertThat(metrics).containsPattern("vitals_api_schedule_runs_total\\{result=\"failed\",schedule=\"ghost\"\\} [2-9]")
                .contains("vitals_api_schedule_lag_seconds ");
    }

    @Test
    void aDisabledScheduleRunsNothing() {
        create("{\"name\": \"off\", \"interval_seconds\": 1, \"enabled\": false}");

        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() -> tasksOf("off").isEmpty());
    }

    @Test
    void declaredSchedulesAreCreatedUpdatedAndRemovedAtStart(@TempDir Path directory) {
        String store = TestApis.h2Url(directory);
        Api first = api.start(Map.of("vitals.api.store.url", store, "vitals.api.schedules",
                List.of(Map.of("name", "kept", "interval_seconds", 3600),
                        Map.of("name", "dropped", "interval_seconds", 3600))));
        HttpCalls firstHttp = new HttpCalls(first.port());
        assertThat(firstHttp.post("/api/v1/schedules", "{\"name\": \"taken-over\", \"interval_seconds\": 3600}")
                .statusCode()).isEqualTo(201);
        JsonNode kept = json(firstHttp.get("/api/v1/schedules/kept"));
        first.close();

        Api second = api.start(Map.of("vitals.api.store.url", store, "vitals.api.schedules",
                "[{name: kept, target: all, interval_seconds: 1800}, {name: taken-over, interval_seconds: 600}]"));
        HttpCalls secondHttp = new HttpCalls(second.port());

        JsonNode updated = json(secondHttp.get("/api/v1/schedules/kept"));
        assertThat(updated.path("source").asText()).isEqualTo("config");
        assertThat(updated.path("target").asText()).isEqualTo("all");
        assertThat(updated.path("interval_seconds").asInt()).isEqualTo(1800);
        assertThat(updated.path("created_at")).isEqualTo(kept.path("created_at"));
        assertThat(Instant.parse(updated.path("updated_at").asText()))
                .isAfter(Instant.parse(kept.path("updated_at").asText()));
        JsonNode takenOver = json(secondHttp.get("/api/v1/schedules/taken-over"));
        assertThat(takenOver.path("source").asText()).isEqualTo("config");
        assertThat(takenOver.path("interval_seconds").asInt()).isEqualTo(600);
        problem(secondHttp.get("/api/v1/schedules/dropped"), 404);
    }
}
