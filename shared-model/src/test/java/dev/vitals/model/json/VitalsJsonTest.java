package dev.vitals.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import dev.vitals.model.CheckStatus;
import dev.vitals.model.CpuUsage;
import dev.vitals.model.DiskUsage;
import dev.vitals.model.HealthReport;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.MemoryUsage;
import dev.vitals.model.Scope;
import dev.vitals.model.Threshold;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskMessage;
import dev.vitals.model.task.TaskRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VitalsJsonTest {

    private final ObjectMapper json = VitalsJson.newMapper();

    @Test
    void reEmitsTheContractReportExampleWithOnlyReasonAndScopeAdded() throws IOException {
        JsonNode example = read("report.json");

        HealthReport report = json.treeToValue(example, HealthReport.class);
        JsonNode reEmitted = json.readTree(json.writeValueAsString(report));

        reEmitted.get("checks").forEach(check -> {
            assertThat(check.get("reason").asText()).isNotBlank();
            ((ObjectNode) check).remove("reason");
        });
        assertThat(reEmitted.at("/checks/cpu/scope").asText()).isEqualTo("host");
        assertThat(reEmitted.at("/checks/memory/scope").asText()).isEqualTo("host");
        ((ObjectNode) reEmitted.get("checks").get("cpu")).remove("scope");
        ((ObjectNode) reEmitted.get("checks").get("memory")).remove("scope");
        assertThat(reEmitted).isEqualTo(example);
    }

    @Test
    void wordsTheReasonOfAReportStoredWithoutOne() throws IOException {
        HealthReport report = json.treeToValue(read("report.json"), HealthReport.class);

        assertThat(report.checks().get(CheckName.DISK).reason())
                .isEqualTo("disk / is 91.9 % full (13.0 GB free of 160 GB), above the warning threshold 90 %");
        assertThat(report.checks().get(CheckName.MEMORY).reason())
                .isEqualTo("memory 9.4 % used (7.1 GB available of 7.8 GB), below the warning threshold 80 %");
    }

    @Test
    void keepsTheReasonAReportCarries() throws IOException {
        String check = "{\"status\": \"warning\", \"count\": 12000, \"processes\": 90, \"worker_threads\": 20, "
                + "\"warning\": 10000, \"error\": 30000, \"reason\": \"as the worker put it\"}";
        JsonNode node = read("report.json");
        ((ObjectNode) node.get("checks")).set("threads", json.readTree(check));

        HealthReport report = json.treeToValue(node, HealthReport.class);

        assertThat(report.checks().get(CheckName.THREADS).reason()).isEqualTo("as the worker put it");
    }

    @Test
    void readsAContainerScopedMemoryCheckWithItsHostFigures() throws IOException {
        MemoryUsage container = new MemoryUsage(91.0, 23.0, 256.0, Scope.CONTAINER, 256.0, 41.2, 8000.0, null);
        HealthReport report = sampleReport(Map.of(CheckName.MEMORY,
                CheckResult.graded(container, new Threshold(80, 95))));

        JsonNode written = json.valueToTree(report).at("/checks/memory");
        HealthReport back = json.readValue(json.writeValueAsString(report), HealthReport.class);

        assertThat(written.get("scope").asText()).isEqualTo("container");
        assertThat(written.get("limit_mb").asDouble()).isEqualTo(256.0);
        assertThat(written.get("host_percent_used").asDouble()).isEqualTo(41.2);
        assertThat(written.has("scope_note")).isFalse();
        assertThat(back).isEqualTo(report);
    }

    @Test
    void readsTheContractReportIntoTypedChecks() throws IOException {
        HealthReport report = json.treeToValue(read("report.json"), HealthReport.class);

        assertThat(report.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(report.checks()).containsOnlyKeys(CheckName.values());
        CheckResult disk = report.checks().get(CheckName.DISK);
        assertThat(disk.status()).isEqualTo(CheckStatus.WARNING);
        assertThat(disk.threshold()).isEqualTo(new Threshold(90, 95));
        assertThat(((DiskUsage) disk.measurement()).mounts()).singleElement()
                .satisfies(mount -> assertThat(mount.path()).isEqualTo("/"));
    }

    @Test
    void writesAnUnknownCheckAsStatusErrorAndReason() throws JsonProcessingException {
        String written = json.writeValueAsString(CheckResult.unknown(CheckName.LOAD, "no load average on this platform"));

        assertThat(written).isEqualTo("{\"status\":\"unknown\",\"error\":\"no load average on this platform\","
                + "\"reason\":\"load unknown: no load average on this platform\"}");
    }

    @Test
    void readsAnUnknownCheckBackWithItsReason() throws IOException {
        HealthReport report = sampleReport(Map.of(CheckName.LOAD, CheckResult.unknown(CheckName.LOAD, "no load average")));

        HealthReport back = json.readValue(json.writeValueAsBytes(report), HealthReport.class);

        assertThat(back).isEqualTo(report);
    }

    @Test
    void writesTimesInUtcWithMillisecondsAndZ() throws JsonProcessingException {
        assertThat(json.writeValueAsString(Instant.parse("2026-11-22T10:15:30Z")))
                .isEqualTo("\"2026-11-22T10:15:30.000Z\"");
        assertThat(json.writeValueAsString(Instant.parse("2026-11-22T10:15:30.123456789Z")))
                .isEqualTo("\"2026-11-22T10:15:30.123Z\"");
    }

    @Test
    void readsTheContractTaskMessageAndRequestBody() throws IOException {
        TaskMessage message = json.treeToValue(read("task-message.json"), TaskMessage.class);

        assertThat(message.taskId()).isEqualTo(UUID.fromString("5f0c8a2e-3b1d-4c6e-9f7a-1d2e3f4a5b6c"));
        assertThat(message.taskType()).isEqualTo(TaskMessage.HEALTH_CHECK);
        TaskRequest payload = message.payloadOrDefault().validate();
        assertThat(payload.target()).isEqualTo(Target.ANY);
        assertThat(payload.checks()).containsExactly(CheckName.CPU, CheckName.DISK);
        assertThat(payload.thresholds()).containsEntry(CheckName.DISK, new Threshold(70, 85));
        assertThat(payload.timeoutSeconds()).isEqualTo(30);
    }

    @Test
    void refusesUnknownFieldsInARequest() {
        assertThatThrownBy(() -> json.readValue("{\"target\":\"any\",\"colour\":\"red\"}", TaskRequest.class))
                .hasMessageContaining("colour");
    }

    @Test
    void refusesAnUnknownCheckNameInARequest() {
        assertThatThrownBy(() -> json.readValue("{\"checks\":[\"gpu\"]}", TaskRequest.class))
                .hasMessageContaining("unknown check 'gpu'");
        assertThatThrownBy(() -> json.readValue("{\"thresholds\":{\"gpu\":{\"warning\":1,\"error\":2}}}",
                TaskRequest.class)).hasMessageContaining("gpu");
    }

    @Test
    void refusesAThresholdWithOnlyOneLimit() {
        assertThatThrownBy(() -> json.readValue("{\"thresholds\":{\"disk\":{\"error\":85}}}", TaskRequest.class))
                .hasMessageContaining("needs both 'warning' and 'error'");
    }

    @Test
    void refusesDuplicateKeys() {
        assertThatThrownBy(() -> json.readValue("{\"target\":\"any\",\"target\":\"all\"}", TaskRequest.class))
                .hasMessageContaining("Duplicate field 'target'");
    }

    @Test
    void refusesStringsWhereNumbersBelongAndFractionsWhereIntegersBelong() {
        assertThatThrownBy(() -> json.readValue("{\"timeout_seconds\":\"30\"}", TaskRequest.class))
                .hasMessageContaining("timeout_seconds");
        assertThatThrownBy(() -> json.readValue("{\"timeout_seconds\":2.5}", TaskRequest.class))
                .hasMessageContaining("timeout_seconds");
    }

    @Test
    void refusesTrailingGarbage() {
        assertThatThrownBy(() -> json.readValue("{} {}", TaskRequest.class)).isInstanceOf(IOException.class);
    }

    @Test
    void refusesDeepNesting() {
        String deep = "{\"target\":" + "[".repeat(100) + "]".repeat(100) + "}";

        assertThatThrownBy(() -> json.readTree(deep)).hasMessageContaining("nesting depth");
    }

    private HealthReport sampleReport(Map<CheckName, CheckResult> checks) {
        return new HealthReport(UUID.randomUUID(), "w-1", "host", Instant.parse("2026-11-22T10:15:30.123Z"),
                Instant.parse("2026-11-22T10:15:30.100Z"), 1.5,
                HealthStatus.WARNING, checks, 42);
    }

    @Test
    void roundTripsAGradedCheck() throws IOException {
        HealthReport report = sampleReport(Map.of(CheckName.CPU,
                CheckResult.graded(new CpuUsage(42.0, 2, 1.0), new Threshold(90, 95))));

        HealthReport back = json.readValue(json.writeValueAsString(report), HealthReport.class);

        assertThat(back).isEqualTo(report);
        assertThat(back.checks().get(CheckName.CPU).status()).isEqualTo(CheckStatus.OK);
    }

    @Test
    void keepsChecksInContractOrder() throws JsonProcessingException {
        HealthReport report = sampleReport(Map.of(
                CheckName.THREADS, CheckResult.unknown(CheckName.THREADS, "x"),
                CheckName.CPU, CheckResult.unknown(CheckName.CPU, "y")));

        JsonNode checks = json.valueToTree(report).get("checks");

        assertThat(List.of(checks.fieldNames().next())).containsExactly("cpu");
    }

    private JsonNode read(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/contract/" + name)) {
            return json.readTree(in);
        }
    }
}
