package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.rabbitmq.client.GetResponse;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import dev.vitals.model.CpuUsage;
import dev.vitals.model.DiskUsage;
import dev.vitals.model.HealthReport;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.LoadAverage;
import dev.vitals.model.MemoryUsage;
import dev.vitals.model.MountUsage;
import dev.vitals.model.ThreadCount;
import dev.vitals.model.Threshold;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.testing.RabbitMqExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keeps {@code openapi.json} true: real requests to an in-process API (its worker played by {@link FakeWorker}
 * with reports made by the shared model, as a real worker makes them), each answer's status, content type,
 * headers and body checked against what the document declares for that operation.
 */
class OpenApiTest {

    private static final String DOCUMENT = "openapi.json";
    private static final String TOKEN = "openapi-test-token";

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    /** A vhost of its own for the API with tokens, where no worker ever heartbeats. */
    @RegisterExtension
    static final RabbitMqExtension lockedRabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit)
            .with("vitals.api.history.settle", "0s").with("vitals.api.history.record-interval", "100ms");

    /** Tokens configured, and not ready while no worker consumes the task queue. */
    @RegisterExtension
    static final ApiExtension locked = ApiExtension.on(lockedRabbit)
            .with("vitals.api.tokens", TOKEN).with("vitals.api.readiness.require-consumers", true);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper REPORTS = VitalsJson.newMapper();

    private static JsonNode document;
    private static SchemaRegistry schemas;
    private static HttpCalls http;
    private static FakeWorker worker;

    @BeforeAll
    static void start() throws Exception {
        try (InputStream in = OpenApiTest.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            assertThat(in).as(DOCUMENT + " on the class path").isNotNull();
            document = JSON.readTree(in);
        }
        schemas = SchemaRegistry.withDialect(Dialects.getOpenApi31(), builder -> builder.schemaRegistryConfig(
                SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

        http = api.http();
        worker = api.fakeWorker("openapi-worker-1");
    }

    // ---------------------------------------------------------------------------------------------------------
    // The document itself

    @Test
    void theDocumentIsServedAsOpenApi31JsonAndIsTheOneInTheSources() throws IOException {
        HttpResponse<String> response = http.get("/api/v1/openapi.json");

        JsonNode served = conforms("GET", "/api/v1/openapi.json", response);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(contentType(response)).isEqualTo("application/json");
        assertThat(served.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(served).isEqualTo(document);
    }

    @Test
    void everyReferenceResolvesAndEverySchemaLoads() {
        List<String> references = new ArrayList<>();
        collectReferences(document, references);
        assertThat(references).isNotEmpty();
        for (String reference : references) {
            assertThat(reference).as("only local references").startsWith("#/");
            assertThat(document.at(reference.substring(1)).isMissingNode())
                    .as("%s resolves in %s", reference, DOCUMENT).isFalse();
        }
        document.path("components").path("schemas").fieldNames().forEachRemaining(name -> {
            Schema schema = schema("/components/schemas/" + name);
            schema.validate(JSON.createObjectNode()); // resolves every reference the schema makes
        });
    }

    @Test
    void theSchemasRefuseWhatTheyShould() {
        assertThat(errors("/components/schemas/Task", JSON.createObjectNode())).isNotEmpty();
        assertThat(errors("/components/schemas/Problem", JSON.createObjectNode().put("type", "about:blank")))
                .isNotEmpty();
        assertThat(errors("/components/schemas/Timestamp", TextNode.valueOf("2026-11-22 10:15"))).isNotEmpty();
        assertThat(errors("/components/schemas/Uuid", TextNode.valueOf("not-a-uuid"))).isNotEmpty();
        assertThat(errors("/components/schemas/Uuid", TextNode.valueOf(UUID.randomUUID().toString()))).isEmpty();
    }

    /** Every operation the document declares is served, and answers one of the statuses declared for it. */
    @Test
    void everyDocumentedOperationIsServedWithADeclaredStatus() {
        List<String> operations = new ArrayList<>();
        document.path("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (method.equals("parameters")) {
                return; // the path's parameters, not an operation
            }
            String template = path.getKey();
            String uri = template.replace("{task_id}", UUID.randomUUID().toString()).replace("{name}", "no-such-schedule")
                    .replace("{worker_id}", "no-such-worker")
                    .replace("{silence_id}", UUID.randomUUID().toString());
            HttpResponse<String> response = switch (method) {
                case "get" -> http.get(uri);
                case "post" -> http.post(uri, "[");
                case "put" -> http.put(uri, "[");
                case "delete" -> http.send("DELETE", uri);
                case "parameters" -> null; // the path's parameters, not an operation
                default -> throw new AssertionError("no request made for " + method + " " + template);
            };
            if (response == null) {
                return;
            }
            conforms(method.toUpperCase(Locale.ROOT), template, response);
            operations.add(method.toUpperCase(Locale.ROOT) + " " + template);
        }));
        assertThat(operations).contains("POST /api/v1/health-checks", "GET /api/v1/health-checks",
                "GET /api/v1/health-checks/{task_id}", "POST /api/v1/schedules", "GET /api/v1/schedules",
                "GET /api/v1/schedules/{name}", "PUT /api/v1/schedules/{name}", "DELETE /api/v1/schedules/{name}",
                "GET /api/v1/workers", "GET /api/v1/workers/{worker_id}",
                "GET /api/v1/workers/{worker_id}/history", "GET /api/v1/workers/{worker_id}/uptime",
                "GET /api/v1/workers/{worker_id}/transitions", "GET /api/v1/openapi.json",
                "GET /health/ping", "GET /health/live", "GET /health/ready", "GET /health/startup", "GET /metrics",
                "GET /api/v1/alerts", "POST /api/v1/silences", "GET /api/v1/silences",
                "GET /api/v1/silences/{silence_id}", "DELETE /api/v1/silences/{silence_id}", "GET /api/v1/fleet",
                "GET /api/v1/stream", "GET /api/v1/workers/{worker_id}/badge.svg",
                "GET /api/v1/workers/{worker_id}/uptime.svg");
    }

    @Test
    void aSilenceAndTheListsOfSilencesAndAlertsAreAsDocumented() {
        String endsAt = java.time.Instant.now().plusSeconds(3600).toString();
        HttpResponse<String> created = http.post("/api/v1/silences",
                "{\"check\": \"disk\", \"ends_at\": \"" + endsAt + "\", \"reason\": \"maintenance\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        conforms("POST", "/api/v1/silences", created);
        String location = created.headers().firstValue("Location").orElseThrow();
        conforms("GET", "/api/v1/silences/{silence_id}", http.get(location));
        conforms("GET", "/api/v1/silences", http.get("/api/v1/silences"));
        conforms("GET", "/api/v1/alerts", http.get("/api/v1/alerts?status=open"));
        assertThat(http.send("DELETE", location).statusCode()).isEqualTo(204);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Schedules

    @Test
    void schedulesAreMadeReadReplacedAndDeletedAsDeclared() {
        String body = "{\"name\": \"openapi\", \"target\": \"all\", \"checks\": [\"disk\"], \"thresholds\":"
                + " {\"disk\": {\"warning\": 70, \"error\": 85}}, \"interval_seconds\": 3600, \"enabled\": false}";
        HttpResponse<String> created = http.post("/api/v1/schedules", body);
        conforms("POST", "/api/v1/schedules", created);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(conforms("POST", "/api/v1/schedules", http.post("/api/v1/schedules", body)).path("field").asText())
                .isEqualTo("name");

        JsonNode list = conforms("GET", "/api/v1/schedules", http.get("/api/v1/schedules"));
        assertThat(list.path("schedules").size()).isPositive();
        conforms("GET", "/api/v1/schedules/{name}", http.get("/api/v1/schedules/openapi"));
        HttpResponse<String> replaced = http.put("/api/v1/schedules/openapi", "{\"interval_seconds\": 7200, \"enabled\": false}");
        assertThat(conforms("PUT", "/api/v1/schedules/{name}", replaced).path("interval_seconds").asInt()).isEqualTo(7200);
        HttpResponse<String> deleted = http.send("DELETE", "/api/v1/schedules/openapi");
        conforms("DELETE", "/api/v1/schedules/{name}", deleted);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(http.get("/api/v1/schedules/openapi").statusCode()).isEqualTo(404);
    }

    @Test
    void aTaskARunCreatedNamesItsSchedule() {
        assertThat(http.post("/api/v1/schedules", "{\"name\": \"openapi-runs\", \"interval_seconds\": 3600}")
                .statusCode()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(10)).until(() -> json(http.get("/api/v1/health-checks?schedule=openapi-runs"))
                .path("tasks").size() > 0);
        http.send("DELETE", "/api/v1/schedules/openapi-runs");

        JsonNode tasks = conforms("GET", "/api/v1/health-checks",
                http.get("/api/v1/health-checks?schedule=openapi-runs"));
        JsonNode task = tasks.path("tasks").get(0);
        assertThat(task.path("schedule").asText()).isEqualTo("openapi-runs");
        conforms("GET", "/api/v1/health-checks/{task_id}", http.get("/api/v1/health-checks/" + task.path("task_id").asText()));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tasks

    @Test
    void postAnswers202WithTheQueuedTaskAndItsLocation() {
        HttpResponse<String> response = http.post("/api/v1/health-checks",
                "{\"target\": \"any\", \"checks\": [\"cpu\", \"disk\"], \"thresholds\": {\"disk\": {\"warning\": 70,"
                        + " \"error\": 85}}, \"timeout_seconds\": 30}");

        JsonNode task = conforms("POST", "/api/v1/health-checks", response);
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(task.path("status").asText()).isEqualTo("queued");
        assertThat(response.headers().firstValue("Location"))
                .contains("/api/v1/health-checks/" + task.path("task_id").asText());
    }

    @Test
    void anEmptyBodyIsAnsweredLikeAnyOther() {
        HttpResponse<String> response = http.post("/api/v1/health-checks", "", null);

        assertThat(conforms("POST", "/api/v1/health-checks", response).path("target").asText()).isEqualTo("any");
        assertThat(response.statusCode()).isEqualTo(202);
    }

    @Test
    void postWithWaitAnswers200WithTheCompletedTaskAndTheWorkersReport() {
        worker.purge();
        CompletableFuture<Void> answering = CompletableFuture.runAsync(() -> {
            GetResponse message = worker.takeNext();
            UUID taskId = UUID.fromString(message.getProps().getMessageId());
            worker.ack(message);
            worker.completed(report(taskId, false));
        });

        HttpResponse<String> response = http.post("/api/v1/health-checks?wait=10", "{}");

        answering.join();
        JsonNode task = conforms("POST", "/api/v1/health-checks", response);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(task.path("status").asText()).isEqualTo("completed");
        assertThat(task.path("result").path("checks").fieldNames()).toIterable()
                .containsExactly("cpu", "memory", "disk", "load", "threads");
    }

    @Test
    void aTaskRunningThenCompletedWithAnUnknownCheckIsAsDocumented() {
        UUID taskId = submit("{}");
        worker.ack(worker.take(taskId));

        worker.started(taskId);
        await().atMost(Duration.ofSeconds(10)).until(() -> status(taskId).equals("running"));
        JsonNode running = conforms("GET", "/api/v1/health-checks/{task_id}", http.get(taskPath(taskId)));
        assertThat(running.path("worker_id").asText()).isEqualTo(worker.workerId());

        worker.completed(report(taskId, true));
        HttpResponse<String> response = http.get(taskPath(taskId) + "?wait=10");

        JsonNode completed = conforms("GET", "/api/v1/health-checks/{task_id}", response);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(completed.path("status").asText()).isEqualTo("completed");
        assertThat(completed.path("result").path("checks").path("threads").path("status").asText()).isEqualTo("unknown");
    }

    @Test
    void aFailedTaskIsAsDocumented() {
        UUID taskId = submit("{}");
        worker.ack(worker.take(taskId));

        worker.failed(taskId, "cannot read /proc");
        await().atMost(Duration.ofSeconds(10)).until(() -> status(taskId).equals("failed"));

        JsonNode failed = conforms("GET", "/api/v1/health-checks/{task_id}", http.get(taskPath(taskId)));
        assertThat(failed.path("error").asText()).isEqualTo("cannot read /proc");
    }

    @Test
    void aTaskForAllWorkersCompletesWithTheDocumentedCombinedResult() {
        worker.heartbeat();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                json(http.get("/api/v1/workers?alive=true")).path("workers").size() > 0);

        UUID taskId = submit("{\"target\": \"all\"}");
        worker.ack(worker.take(taskId));
        worker.completed(report(taskId, false));
        await().atMost(Duration.ofSeconds(10)).until(() -> status(taskId).equals("completed"));

        JsonNode task = conforms("GET", "/api/v1/health-checks/{task_id}", http.get(taskPath(taskId)));
        assertThat(task.path("result").path("reports")).hasSize(1);
        assertThat(task.path("result").path("expected_workers").asInt()).isEqualTo(1);
    }

    @Test
    void theListOfTasksIsAsDocumented() {
        UUID taskId = submit("{}");

        JsonNode all = conforms("GET", "/api/v1/health-checks", http.get("/api/v1/health-checks?limit=1000"));
        assertThat(all.path("tasks").findValuesAsText("task_id")).contains(taskId.toString());

        JsonNode filtered = conforms("GET", "/api/v1/health-checks", http.get("/api/v1/health-checks?status=queued"
                + "&worker_id=nobody&since=" + URLEncoder.encode("2020-01-01T00:00:00+01:00", StandardCharsets.UTF_8)
                + "&limit=5"));
        assertThat(filtered.path("tasks")).isEmpty();
    }

    @Test
    void theListOfWorkersIsAsDocumented() {
        worker.heartbeat();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                json(http.get("/api/v1/workers")).path("workers").findValuesAsText("worker_id")
                        .contains(worker.workerId()));

        JsonNode workers = conforms("GET", "/api/v1/workers", http.get("/api/v1/workers"));
        assertThat(workers.path("workers").findValuesAsText("worker_id")).contains(worker.workerId());
        JsonNode notAlive = conforms("GET", "/api/v1/workers", http.get("/api/v1/workers?alive=false"));
        assertThat(notAlive.path("workers").findValuesAsText("worker_id")).doesNotContain(worker.workerId());
    }

    @Test
    void aWorkerItsHistoryUptimeAndTransitionsAreAsDocumented() {
        worker.heartbeat();
        UUID taskId = submit("{}");
        worker.ack(worker.take(taskId));
        worker.completed(report(taskId, true));
        String one = "/api/v1/workers/" + worker.workerId();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                json(http.get(one + "/history?check=cpu")).path("points").size() > 0);

        JsonNode found = conforms("GET", "/api/v1/workers/{worker_id}", http.get(one));
        assertThat(found.path("state").path("status").asText()).isEqualTo("unknown");
        JsonNode points = conforms("GET", "/api/v1/workers/{worker_id}/history", http.get(one + "/history?check=cpu"));
        assertThat(points.path("points").get(0).path("value").isNumber()).isTrue();
        conforms("GET", "/api/v1/workers/{worker_id}/history", http.get(one + "/history"));
        conforms("GET", "/api/v1/workers/{worker_id}/history", http.get(one + "/history?check=threads&step=1h"));
        JsonNode days = conforms("GET", "/api/v1/workers/{worker_id}/history", http.get(one + "/history?step=1d"
                + "&from=" + Instant.now().minus(Duration.ofDays(30))));
        assertThat(days.path("buckets").get(0).path("count").asInt()).isPositive();
        JsonNode uptime = conforms("GET", "/api/v1/workers/{worker_id}/uptime", http.get(one + "/uptime"));
        assertThat(uptime.path("windows").fieldNames()).toIterable().containsExactly("24h", "7d", "30d", "90d", "365d");
        conforms("GET", "/api/v1/workers/{worker_id}/transitions", http.get(one + "/transitions?limit=5"));

        JsonNode fleet = conforms("GET", "/api/v1/fleet", http.get("/api/v1/fleet"));
        assertThat(fleet.path("workers").findValuesAsText("worker_id")).contains(worker.workerId());
        JsonNode row = conforms("GET", "/api/v1/fleet", http.get("/api/v1/fleet?worker_id=" + worker.workerId()));
        assertThat(row.at("/workers/0/last_run/checks/cpu/value").isNumber()).isTrue();
        conforms("GET", "/api/v1/fleet", http.get("/api/v1/fleet?worker_id=no-such-worker"));
        JsonNode badge = conforms("GET", "/api/v1/workers/{worker_id}/badge.svg", http.get(one + "/badge.svg"));
        assertThat(badge.asText()).startsWith("<svg");
        conforms("GET", "/api/v1/workers/{worker_id}/uptime.svg", http.get(one + "/uptime.svg?window=90d"));
        conforms("GET", "/api/v1/workers/{worker_id}/uptime.svg", http.get(one + "/uptime.svg?window=1w"));
    }

    @ParameterizedTest(name = "GET {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/history?check=gpu|400",
            "/history?from=yesterday|400",
            "/history?from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z|400",
            "/history?from=2020-01-01T00:00:00Z|400",
            "/history?step=5m|400",
            "/transitions?limit=0|400",
    })
    void refusedHistoryReadsAreDocumentedProblems(String query, int status) {
        worker.heartbeat();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                http.get("/api/v1/workers/" + worker.workerId()).statusCode() == 200);
        String template = "/api/v1/workers/{worker_id}/" + query.substring(1, query.indexOf('?'));
        HttpResponse<String> response = http.get("/api/v1/workers/" + worker.workerId() + query);

        JsonNode problem = conforms("GET", template, response);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(problem.path("field").asText()).isNotBlank();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Problems

    @ParameterizedTest(name = "POST {0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/health-checks|{\"checks\": [\"gpu\"]}|400",
            "/api/v1/health-checks|not json|400",
            "/api/v1/health-checks?wait=31|{}|400",
            "/api/v1/health-checks|{\"target\": \"no-such-worker\"}|404",
    })
    void refusedSubmissionsAreDocumentedProblems(String uri, String body, int status) {
        HttpResponse<String> response = http.post(uri, body);

        JsonNode problem = conforms("POST", "/api/v1/health-checks", response);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
    }

    @Test
    void aBodyThatIsNotJsonIsADocumented415() {
        HttpResponse<String> response = http.post("/api/v1/health-checks", "target=any",
                "application/x-www-form-urlencoded");

        conforms("POST", "/api/v1/health-checks", response);
        assertThat(response.statusCode()).isEqualTo(415);
    }

    @Test
    void aBodyTooLargeIsADocumented413() {
        HttpResponse<String> response = http.post("/api/v1/health-checks",
                "{\"target\": \"" + "x".repeat(65 * 1024) + "\"}");

        conforms("POST", "/api/v1/health-checks", response);
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @ParameterizedTest(name = "GET {0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/health-checks/not-a-uuid|/api/v1/health-checks/{task_id}|400",
            "/api/v1/health-checks/2b7c9a3e-0000-4000-8000-000000000000|/api/v1/health-checks/{task_id}|404",
            "/api/v1/health-checks/2b7c9a3e-0000-4000-8000-000000000000?wait=-1|/api/v1/health-checks/{task_id}|400",
            "/api/v1/health-checks?limit=1001|/api/v1/health-checks|400",
            "/api/v1/health-checks?status=done|/api/v1/health-checks|400",
            "/api/v1/health-checks?since=yesterday|/api/v1/health-checks|400",
            "/api/v1/workers?alive=maybe|/api/v1/workers|400",
    })
    void refusedReadsAreDocumentedProblems(String uri, String template, int status) {
        HttpResponse<String> response = http.get(uri);

        JsonNode problem = conforms("GET", template, response);
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(problem.path("detail").asText()).isNotBlank();
    }

    /** What the request schema says of a body is what the API does with it. */
    @ParameterizedTest(name = "{0} -> schema valid {1}")
    @CsvSource(delimiter = '|', value = {
            "{}|true",
            "{\"target\": \"all\", \"checks\": [\"load\", \"threads\"], \"timeout_seconds\": 3600}|true",
            "{\"target\": \"any\", \"thresholds\": {\"load\": {\"warning\": 1.5, \"error\": 300},"
                    + " \"cpu\": {\"warning\": 0, \"error\": 100}}}|true",
            "{\"colour\": \"red\"}|false",
            "{\"checks\": []}|false",
            "{\"checks\": [\"cpu\", \"cpu\"]}|false",
            "{\"checks\": [\"gpu\"]}|false",
            "{\"thresholds\": {\"gpu\": {\"warning\": 70, \"error\": 80}}}|false",
            "{\"thresholds\": {\"disk\": {\"warning\": 70, \"error\": 101}}}|false",
            "{\"thresholds\": {\"disk\": {\"warning\": -1, \"error\": 80}}}|false",
            "{\"thresholds\": {\"disk\": {\"warning\": 70}}}|false",
            "{\"thresholds\": {\"disk\": {\"warning\": 70, \"error\": 80, \"critical\": 90}}}|false",
            "{\"timeout_seconds\": 0}|false",
            "{\"timeout_seconds\": 3601}|false",
            "{\"timeout_seconds\": \"30\"}|false",
            "{\"timeout_seconds\": 1.5}|false",
            "{\"target\": \"no spaces allowed\"}|false",
            "{\"target\": 5}|false",
            "[1, 2]|false",
            "{\"target\": null, \"checks\": null, \"thresholds\": null, \"timeout_seconds\": null}|true",
            "{\"checks\": [null]}|false",
            "{\"thresholds\": {\"disk\": null}}|false",
    })
    void theRequestSchemaAgreesWithTheApi(String body, boolean valid) throws IOException {
        List<Error> errors = errors("/components/schemas/TaskRequest", JSON.readTree(body));
        assertThat(errors.isEmpty()).as("schema errors %s", errors).isEqualTo(valid);
        if (body.contains("\"all\"")) {
            worker.heartbeat();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    json(http.get("/api/v1/workers?alive=true")).path("workers").size() > 0);
        }

        HttpResponse<String> response = http.post("/api/v1/health-checks", body);

        conforms("POST", "/api/v1/health-checks", response);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(valid ? 202 : 400);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Probes and metrics

    @ParameterizedTest
    @CsvSource({"/health/live", "/health/ready", "/health/startup"})
    void probesAnswerTheDocumentedJson(String path) {
        HttpResponse<String> response = http.get(path);

        JsonNode probe = conforms("GET", path, response);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(probe.path("status").asText()).isEqualTo("up");
    }

    @Test
    void readinessNamesItsComponents() {
        JsonNode ready = conforms("GET", "/health/ready", http.get("/health/ready"));

        assertThat(ready.path("checks").fieldNames()).toIterable().containsExactly("broker", "store", "tasks");
    }

    @Test
    void pingAndMetricsAnswerTheDocumentedText() {
        HttpResponse<String> ping = http.get("/health/ping");
        conforms("GET", "/health/ping", ping);
        assertThat(ping.statusCode()).isEqualTo(200);

        HttpResponse<String> metrics = http.get("/metrics");
        conforms("GET", "/metrics", metrics);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE ");
    }

    // ---------------------------------------------------------------------------------------------------------
    // With tokens configured

    @ParameterizedTest
    @CsvSource({"/api/v1/health-checks", "/api/v1/workers", "/api/v1/openapi.json", "/api/v1/fleet", "/api/v1/stream"})
    void withTokensEveryApiCallWithoutOneIsADocumented401(String path) {
        HttpResponse<String> response = locked.http().get(path);

        JsonNode problem = conforms("GET", path, response);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(problem.path("status").asInt()).isEqualTo(401);
    }

    @Test
    void withTokensSubmittingWithoutOneIsADocumented401() {
        HttpResponse<String> response = locked.http().withToken("wrong").post("/api/v1/health-checks", "{}");

        conforms("POST", "/api/v1/health-checks", response);
        assertThat(response.statusCode()).isEqualTo(401);
        HttpResponse<String> read = locked.http().get("/api/v1/health-checks/" + UUID.randomUUID());
        conforms("GET", "/api/v1/health-checks/{task_id}", read);
        assertThat(read.statusCode()).isEqualTo(401);
    }

    @Test
    void withTokensTheDocumentIsServedWithOne() {
        HttpResponse<String> response = locked.http().withToken(TOKEN).get("/api/v1/openapi.json");

        assertThat(conforms("GET", "/api/v1/openapi.json", response)).isEqualTo(document);
        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void aTaskForAllWorkersWithNoneAliveIsADocumented503WithRetryAfter() {
        HttpResponse<String> response = locked.http().withToken(TOKEN)
                .post("/api/v1/health-checks", "{\"target\": \"all\"}");

        conforms("POST", "/api/v1/health-checks", response);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void notReadyIsADocumented503NamingWhatIsDown() {
        HttpResponse<String> response = locked.http().get("/health/ready");

        JsonNode ready = conforms("GET", "/health/ready", response);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(ready.path("status").asText()).isEqualTo("down");
        assertThat(ready.path("checks").path("tasks").path("status").asText()).isEqualTo("down");
        assertThat(ready.path("checks").path("tasks").path("detail").asText()).isNotBlank();
    }

    @Test
    void aRepeatedIdempotencyKeyIsADocumented200AndAnotherBodyWithItADocumented422() {
        Map<String, List<String>> key = Map.of("Idempotency-Key", List.of("\"" + UUID.randomUUID() + "\""));
        HttpResponse<String> first = http.postWithHeaders("/api/v1/health-checks", "{\"checks\": [\"cpu\"]}", key);
        HttpResponse<String> again = http.postWithHeaders("/api/v1/health-checks", "{\"checks\": [\"cpu\"]}", key);
        HttpResponse<String> other = http.postWithHeaders("/api/v1/health-checks", "{\"checks\": [\"disk\"]}", key);

        assertThat(first.statusCode()).isEqualTo(202);
        JsonNode replayed = conforms("POST", "/api/v1/health-checks", again);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(replayed.path("task_id")).isEqualTo(json(first).path("task_id"));
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        JsonNode refused = conforms("POST", "/api/v1/health-checks", other);
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(refused.path("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(conforms("POST", "/api/v1/health-checks", http.postWithHeaders("/api/v1/health-checks", "{}",
                Map.of("Idempotency-Key", List.of("not visible")))).path("status").asInt()).isEqualTo(400);
    }

    @Test
    void withCanariesReadinessNamesThePipelineAndCanariesAreListedAsDocumented() {
        // The locked replica's vhost has no worker: its canaries wait, and the pipeline is down.
        Api withCanary = locked.start(Map.of("vitals.api.canary.interval", "500ms", "vitals.api.canary.timeout", "1s"));
        HttpCalls calls = new HttpCalls(withCanary.port()).withToken(TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                json(calls.get("/api/v1/health-checks?canary=true")).path("tasks").size() > 0);

        JsonNode canaries = conforms("GET", "/api/v1/health-checks",
                calls.get("/api/v1/health-checks?canary=true"));
        assertThat(canaries.path("tasks").get(0).path("canary").asBoolean()).isTrue();
        JsonNode ready = conforms("GET", "/health/ready", calls.get("/health/ready"));
        assertThat(ready.path("checks").path("pipeline").path("status").asText()).isEqualTo("down");
        assertThat(ready.path("checks").path("pipeline").path("detail").asText()).isNotBlank();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Checking an answer against the document

    /**
     * Asserts that the document declares {@code response}'s status for the operation, with the response's
     * content type, that every header it declares required is there and matches its schema, and that the
     * body matches the schema of that status and content type.
     *
     * @return the body as JSON, or as a text node for a text answer
     */
    private static JsonNode conforms(String method, String template, HttpResponse<String> response) {
        String operationPointer = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT);
        assertThat(document.at(operationPointer).isMissingNode())
                .as("%s declares %s %s", DOCUMENT, method, template).isFalse();
        String status = Integer.toString(response.statusCode());
        String declaredAt = operationPointer + "/responses/" + status;
        assertThat(document.at(declaredAt).isMissingNode())
                .as("%s declares status %s for %s %s (answer: %s)", DOCUMENT, status, method, template, response.body())
                .isFalse();
        String responsePointer = resolve(declaredAt);
        JsonNode declared = document.at(responsePointer);

        declared.path("headers").properties().forEach(header -> {
            String headerPointer = resolve(responsePointer + "/headers/" + escape(header.getKey()));
            JsonNode headerObject = document.at(headerPointer);
            var value = response.headers().firstValue(header.getKey());
            if (headerObject.path("required").asBoolean()) {
                assertThat(value).as("header %s of %s %s %s", header.getKey(), method, template, status).isPresent();
            }
            value.ifPresent(text -> {
                JsonNode headerSchema = headerObject.path("schema");
                JsonNode instance = headerSchema.path("type").asText().equals("integer") && text.matches("-?\\d+")
                        ? IntNode.valueOf(Integer.parseInt(text)) : TextNode.valueOf(text);
                assertThat(errors(headerPointer + "/schema", instance))
                        .as("header %s: %s of %s %s %s", header.getKey(), text, method, template, status).isEmpty();
            });
        });

        if (declared.path("content").isMissingNode()) {
            assertThat(response.body()).as("%s %s %s declares no content", method, template, status).isEmpty();
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        String contentType = contentType(response);
        List<String> declaredTypes = new ArrayList<>();
        declared.path("content").fieldNames().forEachRemaining(declaredTypes::add);
        String mediaType = declaredTypes.stream()
                .filter(type -> type.split(";", 2)[0].strip().equals(contentType))
                .findFirst()
                .orElseThrow(() -> new AssertionError(method + " " + template + " " + status + " answered "
                        + contentType + " but " + DOCUMENT + " declares " + declaredTypes));
        JsonNode body = contentType.endsWith("json") ? parse(response.body()) : TextNode.valueOf(response.body());
        String schemaPointer = responsePointer + "/content/" + escape(mediaType) + "/schema";
        assertThat(errors(schemaPointer, body))
                .as("%s %s %s: the body %s against %s", method, template, status, response.body(), schemaPointer)
                .isEmpty();
        return body;
    }

    /** The pointer a {@code $ref} at {@code pointer} leads to, following chains; {@code pointer} itself if none. */
    private static String resolve(String pointer) {
        String current = pointer;
        for (int hops = 0; hops < 10; hops++) {
            JsonNode node = document.at(current);
            assertThat(node.isMissingNode()).as("%s has %s", DOCUMENT, current).isFalse();
            if (!node.has("$ref")) {
                return current;
            }
            current = node.path("$ref").asText().substring(1);
        }
        throw new AssertionError("a $ref loop at " + pointer);
    }

    private static List<Error> errors(String pointer, JsonNode instance) {
        return schema(pointer).validate(instance);
    }

    /** The schema at {@code pointer} in the document, its references resolved in the whole document. */
    private static Schema schema(String pointer) {
        JsonPointer.compile(pointer); // a well-formed pointer
        String fragment = URLEncoder.encode(pointer, StandardCharsets.UTF_8).replace("%2F", "/").replace("%7E", "~");
        return schemas.getSchema(SchemaLocation.of("classpath:" + DOCUMENT + "#" + fragment));
    }

    /** A JSON Pointer reference token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.isObject() && node.has("$ref")) {
            references.add(node.path("$ref").asText());
        }
        node.elements().forEachRemaining(child -> collectReferences(child, references));
    }

    private static String contentType(HttpResponse<String> response) {
        return response.headers().firstValue("Content-Type").orElse("").split(";", 2)[0].strip()
                .toLowerCase(Locale.ROOT);
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Tasks and reports

    private static UUID submit(String body) {
        HttpResponse<String> response = http.post("/api/v1/health-checks", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return UUID.fromString(json(response).path("task_id").asText());
    }

    private static String taskPath(UUID taskId) {
        return "/api/v1/health-checks/" + taskId;
    }

    private static String status(UUID taskId) {
        return json(http.get(taskPath(taskId))).path("status").asText();
    }

    /** A report of every check, made and written by the shared model as a worker makes it. */
    private static String report(UUID taskId, boolean threadsUnknown) {
        Map<CheckName, CheckResult> checks = new EnumMap<>(CheckName.class);
        checks.put(CheckName.CPU, CheckResult.graded(new CpuUsage(12.5, 2, 1.0), new Threshold(90, 95)));
        checks.put(CheckName.MEMORY, CheckResult.graded(new MemoryUsage(9.4, 7234.5, 8000.0), new Threshold(80, 95)));
        checks.put(CheckName.DISK, CheckResult.graded(DiskUsage.ofMounts(List.of(
                new MountUsage("/", 91.9, 13.0, 160.0), new MountUsage("/data", 40.0, 60.0, 100.0))),
                new Threshold(90, 95)));
        checks.put(CheckName.LOAD, CheckResult.graded(new LoadAverage(List.of(1.2, 1.5, 1.8), 0.6),
                new Threshold(1.5, 3.0)));
        checks.put(CheckName.THREADS, threadsUnknown
                ? CheckResult.unknown(CheckName.THREADS, "the thread count could not be read")
                : CheckResult.graded(new ThreadCount(412, 96, 21), new Threshold(4000, 8000)));
        HealthReport report = new HealthReport(taskId, worker.workerId(), "fake-host",
                Instant.parse("2026-11-22T10:15:32.000Z"), Instant.parse("2026-11-22T10:15:31.950Z"), 2.4,
                HealthStatus.WARNING, checks, 86400);
        try {
            return REPORTS.writeValueAsString(report);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
