package dev.vitals.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import dev.vitals.model.CheckStatus;
import dev.vitals.model.CpuUsage;
import dev.vitals.model.DiskUsage;
import dev.vitals.model.HealthReport;
import dev.vitals.model.HealthStatus;
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
    void reEmitsTheContractReportExampleUnchanged() throws IOException {
        JsonNode example = read("report.json");

        HealthReport report = json.treeToValue(example, HealthReport.class);
        JsonNode reEmitted = json.readTree(json.writeValueAsString(report));

        assertThat(reEmitted).isEqualTo(example);
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
    void writesAnUnknownCheckAsStatusAndReason() throws JsonProcessingException {
        String written = json.writeValueAsString(CheckResult.unknown("no load average on this platform"));

        assertThat(written).isEqualTo("{\"status\":\"unknown\",\"error\":\"no load average on this platform\"}");
    }

    @Test
    void readsAnUnknownCheckBackWithItsReason() throws IOException {
        HealthReport report = sampleReport(Map.of(CheckName.LOAD, CheckResult.unknown("no load average")));

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
                CheckName.THREADS, CheckResult.unknown("x"),
                CheckName.CPU, CheckResult.unknown("y")));

        JsonNode checks = json.valueToTree(report).get("checks");

        assertThat(List.of(checks.fieldNames().next())).containsExactly("cpu");
    }

    private JsonNode read(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/contract/" + name)) {
            return json.readTree(in);
        }
    }
}
