package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.vitals.e2e.OtlpReceiver.ReceivedSpan;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.RabbitMqExtension;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API and a worker as real processes exporting OTLP/HTTP to a receiver of the test's: one POST is one
 * trace, continued from the caller's {@code traceparent}, through the broker to the worker and back to the
 * API that stores the report and wakes the waiting request; a raw AMQP client's {@code traceparent} is
 * continued by the worker; with tracing off (the default) nothing is exported and no exporter thread runs.
 */
class TracingEndToEndTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @Test
    void onePostIsOneTraceFromTheRequestThroughTheWorkerBackToTheApi(@TempDir Path store) throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            // Logged as shipped (not as tests log): the worker's lines as JSON, the API's as text.
            Map<String, String> workerSettings = new java.util.HashMap<>(receiver.exportHere());
            workerSettings.put("logback.configurationFile", shippedLogging("worker"));
            workerSettings.put("VITALS_LOG_FORMAT", "json");
            Map<String, String> apiSettings = new java.util.HashMap<>(receiver.exportHere());
            apiSettings.put("logback.configurationFile", shippedLogging("client-api"));
            int port = FreePorts.freePort();
            try (JavaProcess worker = Rig.worker(rabbit.uri(), "trace-w", FreePorts.freePort(), workerSettings);
                 JavaProcess api = Rig.api(rabbit.uri(), h2(store), port, "trace-api", apiSettings)) {
                String base = "http://127.0.0.1:" + port;
                Rig.awaitConsuming(worker);
                Rig.awaitReady(base);

                HttpResponse<String> answer = Rig.send(HttpRequest.newBuilder(
                                URI.create(base + "/api/v1/health-checks?wait=20"))
                        .timeout(Duration.ofSeconds(40))
                        .header("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                        .POST(HttpRequest.BodyPublishers.noBody()).build());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                JsonNode task = Rig.json(answer);
                String taskId = task.path("task_id").asText();
                assertThat(task.path("trace_id").asText()).isEqualTo(CALLER_TRACE);

                // The API and the worker export on their own: the worker's last spans (its consumer span and the
                // report's publish) end with the broker's confirm, which may come after the API applied the report.
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    List<String> names = receiver.trace(CALLER_TRACE).stream().map(ReceivedSpan::name).toList();
                    return names.containsAll(List.of("apply task.completed", "process maintenance_tasks"))
                            && names.stream().filter("publish vitals.events"::equals).count() == 2;
                });
                List<ReceivedSpan> trace = receiver.trace(CALLER_TRACE);

                ReceivedSpan request = one(trace, "POST /api/v1/health-checks");
                assertThat(request.service()).isEqualTo("vitals-api");
                assertThat(request.kind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
                assertThat(request.parentSpanId()).isEqualTo(CALLER_SPAN);
                assertThat(request.attributes()).containsEntry("http.request.method", "POST")
                        .containsEntry("http.route", "/api/v1/health-checks")
                        .containsEntry("http.response.status_code", "200")
                        .containsEntry("url.path", "/api/v1/health-checks");

                ReceivedSpan insert = one(trace, "INSERT tasks");
                assertThat(insert.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
                assertThat(insert.parentSpanId()).isEqualTo(request.spanId());
                assertThat(insert.attributes()).containsEntry("db.system.name", "h2")
                        .containsEntry("db.operation.name", "INSERT").containsEntry("db.collection.name", "tasks");

                ReceivedSpan publishTask = one(trace, "publish maintenance_tasks");
                assertThat(publishTask.kind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
                assertThat(publishTask.parentSpanId()).isEqualTo(request.spanId());
                assertThat(publishTask.attributes()).containsEntry("messaging.system", "rabbitmq")
                        .containsEntry("messaging.destination.name", "maintenance_tasks")
                        .containsEntry("messaging.operation.type", "send")
                        .containsEntry("messaging.message.id", taskId);

                ReceivedSpan process = one(trace, "process maintenance_tasks");
                assertThat(process.service()).isEqualTo("vitals-worker");
                assertThat(process.kind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
                assertThat(process.parentSpanId()).as("the worker's span is the child of the API's publish")
                        .isEqualTo(publishTask.spanId());
                assertThat(process.attributes()).containsEntry("messaging.system", "rabbitmq")
                        .containsEntry("messaging.operation.type", "process")
                        .containsEntry("messaging.message.id", taskId)
                        .containsEntry("vitals.task.id", taskId);

                List<ReceivedSpan> checks = trace.stream().filter(span -> span.name().startsWith("check ")).toList();
                assertThat(checks).extracting(ReceivedSpan::name).containsExactlyInAnyOrder(
                        "check cpu", "check memory", "check disk", "check load", "check threads");
                for (ReceivedSpan check : checks) {
                    assertThat(check.parentSpanId()).isEqualTo(process.spanId());
                    assertThat(check.attribute("vitals.check.name")).isEqualTo(check.name().substring(6));
                    assertThat(check.attribute("vitals.check.status")).isIn("ok", "warning", "error", "unknown");
                    if (!"unknown".equals(check.attribute("vitals.check.status"))) {
                        assertThat(check.attributes()).containsKeys("vitals.check.value",
                                "vitals.check.threshold.warning", "vitals.check.threshold.error");
                    }
                }

                List<ReceivedSpan> events = trace.stream()
                        .filter(span -> span.name().equals("publish vitals.events")).toList();
                assertThat(events).extracting(span -> span.attribute("messaging.rabbitmq.destination.routing_key"))
                        .containsExactlyInAnyOrder("task.started", "task.completed");
                assertThat(events).allSatisfy(span -> {
                    assertThat(span.service()).isEqualTo("vitals-worker");
                    assertThat(span.parentSpanId()).isEqualTo(process.spanId());
                });
                ReceivedSpan publishReport = events.stream().filter(span ->
                        "task.completed".equals(span.attribute("messaging.rabbitmq.destination.routing_key")))
                        .findFirst().orElseThrow();

                ReceivedSpan received = trace.stream().filter(span -> span.name().equals("process vitals.api.events")
                        && span.parentSpanId().equals(publishReport.spanId())).findFirst()
                        .orElseThrow(() -> new AssertionError("no API span for the report in " + trace));
                assertThat(received.service()).isEqualTo("vitals-api");
                assertThat(received.kind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
                assertThat(received.attributes()).containsEntry("messaging.destination.name", "vitals.api.events")
                        .containsEntry("messaging.rabbitmq.destination.routing_key", "task.completed");

                ReceivedSpan apply = one(trace, "apply task.completed");
                assertThat(apply.parentSpanId()).isEqualTo(received.spanId());
                assertThat(trace).filteredOn(span -> span.name().equals("UPDATE tasks")
                                && span.parentSpanId().equals(apply.spanId()))
                        .as("the report stored in the trace").isNotEmpty();
                // This replica's consumer usually ends the wait itself; a re-read may beat it on a slow machine.
                trace.stream().filter(span -> span.name().equals("wake waiting request")).findFirst()
                        .ifPresent(wake -> {
                            assertThat(wake.parentSpanId()).isEqualTo(apply.spanId());
                            assertThat(wake.linkedSpanIds()).contains(request.spanId());
                        });

                assertThat(Files.readString(worker.outputFile())).contains("\"trace_id\":\"" + CALLER_TRACE + "\"");
                assertThat(Files.readString(api.outputFile())).contains("trace=" + CALLER_TRACE);
                assertThat(threads(api)).anyMatch(name -> name.startsWith("BatchSpanProce"));
            }
        }
    }

    @Test
    void theWorkerContinuesTheTraceOfATaskARawAmqpClientPublished() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start();
             JavaProcess worker = Rig.worker(rabbit.uri(), "trace-raw-w", FreePorts.freePort(),
                     receiver.exportHere());
             Connection connection = rabbit.newConnection()) {
            Rig.awaitConsuming(worker);
            String traceId = "0af7651916cd43dd8448eb211c80319c";
            String taskId = UUID.randomUUID().toString();
            Channel channel = connection.createChannel();
            channel.basicPublish("", "maintenance_tasks", new AMQP.BasicProperties.Builder()
                    .contentType("application/json").messageId(taskId).type("health_check").deliveryMode(2)
                    .headers(Map.of("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")).build(),
                    ("{\"task_id\":\"" + taskId + "\",\"task_type\":\"health_check\",\"created_at\":"
                            + "\"2026-11-23T10:00:00.000Z\",\"payload\":{\"checks\":[\"cpu\"]}}")
                            .getBytes(StandardCharsets.UTF_8));

            await().atMost(Duration.ofSeconds(20)).until(() -> receiver.trace(traceId).stream()
                    .anyMatch(span -> span.name().equals("process maintenance_tasks")));
            ReceivedSpan process = one(receiver.trace(traceId), "process maintenance_tasks");
            assertThat(process.parentSpanId()).isEqualTo("b7ad6b7169203331");
            assertThat(process.attribute("vitals.task.id")).isEqualTo(taskId);
        }
    }

    @Test
    void withTracingOffNothingIsExportedAndNoExporterThreadRuns(@TempDir Path store) throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            // Where to export is set, what to export is not: tracing stays off.
            Map<String, String> endpointOnly = Map.of("otel.exporter.otlp.endpoint", receiver.endpoint());
            int port = FreePorts.freePort();
            try (JavaProcess worker = Rig.worker(rabbit.uri(), "trace-off-w", FreePorts.freePort(), endpointOnly);
                 JavaProcess api = Rig.api(rabbit.uri(), h2(store), port, "trace-off-api", endpointOnly)) {
                String base = "http://127.0.0.1:" + port;
                Rig.awaitConsuming(worker);
                Rig.awaitReady(base);

                HttpResponse<String> answer = Rig.send(HttpRequest.newBuilder(
                                URI.create(base + "/api/v1/health-checks?wait=20"))
                        .timeout(Duration.ofSeconds(40))
                        .header("traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01")
                        .POST(HttpRequest.BodyPublishers.noBody()).build());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(Rig.json(answer).has("trace_id")).as("the task JSON of the contract").isFalse();

                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                        .until(() -> receiver.requests() == 0);
                for (JavaProcess process : List.of(api, worker)) {
                    assertThat(threads(process)).noneMatch(name -> name.startsWith("BatchSpanProce")
                            || name.startsWith("HttpClient") || name.startsWith("OkHttp"));
                }
            }
        }
    }

    private static ReceivedSpan one(List<ReceivedSpan> trace, String name) {
        List<ReceivedSpan> named = trace.stream().filter(span -> span.name().equals(name)).toList();
        assertThat(named).as("spans named '%s' in %s", name, trace).hasSize(1);
        return named.get(0);
    }

    /** The names of a process's threads, as Linux has them (the first 15 characters of Java's). */
    private static List<String> threads(JavaProcess process) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            return tasks.map(task -> {
                try {
                    return Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    return ""; // the thread ended meanwhile
                }
            }).filter(Predicate.not(String::isEmpty)).toList();
        }
    }

    private static String shippedLogging(String module) {
        return Launcher.ROOT.resolve(module).resolve("src/main/resources/logback.xml").toString();
    }

    private static String h2(Path directory) {
        return "jdbc:h2:file:" + directory.resolve("vitals")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }
}
