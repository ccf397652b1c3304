package dev.vitals.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.model.CheckName;
import dev.vitals.model.Threshold;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.worker.messaging.TaskParser.Invalid;
import dev.vitals.worker.messaging.TaskParser.Parsed;
import dev.vitals.worker.messaging.TaskParser.Valid;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskParserTest {

    private static final String ID = "5f0c0e4e-3c1a-4d8e-9a57-2f0b8a1c9d10";

    private final TaskParser parser = new TaskParser(VitalsJson.newMapper());

    private Parsed parse(String body) {
        return parser.parse(body.getBytes(StandardCharsets.UTF_8), null);
    }

    private static String task(String payload) {
        return """
                {"task_id": "%s", "task_type": "health_check", "created_at": "2026-11-22T10:15:30.123Z", "payload": %s}
                """.formatted(ID, payload);
    }

    @Test
    void readsAContractTaskWithItsPayload() {
        Parsed parsed = parse(task("""
                {"checks": ["cpu", "disk"], "thresholds": {"disk": {"warning": 70, "error": 85}}}"""));

        assertThat(parsed).isInstanceOf(Valid.class);
        Valid valid = (Valid) parsed;
        assertThat(valid.task().taskId()).isEqualTo(UUID.fromString(ID));
        assertThat(valid.task().payloadOrDefault().checksToRun()).containsExactly(CheckName.CPU, CheckName.DISK);
        assertThat(valid.task().payloadOrDefault().thresholdOverrides()).containsEntry(CheckName.DISK, new Threshold(70, 85));
    }

    @Test
    void aTaskWithoutPayloadRunsEverything() {
        Parsed parsed = parse("{\"task_id\": \"" + ID + "\", \"task_type\": \"health_check\"}");

        assertThat(((Valid) parsed).task().payloadOrDefault().checksToRun()).hasSize(CheckName.values().length);
    }

    @Test
    void bodyThatIsNotJsonIsInvalidWithTheMessageIdAsTask() {
        Parsed parsed = parser.parse("{not json".getBytes(StandardCharsets.UTF_8), ID);

        assertThat(parsed).isEqualTo(new Invalid(UUID.fromString(ID), ((Invalid) parsed).reason()));
        assertThat(((Invalid) parsed).reason()).startsWith("body: is not valid JSON");
    }

    @Test
    void jsonThatIsNotAnObjectIsInvalid() {
        assertThat(((Invalid) parse("[1, 2]")).reason()).startsWith("body: must be a JSON object");
    }

    @Test
    void missingOrMalformedTaskIdIsInvalid() {
        assertThat(((Invalid) parse("{\"task_type\": \"health_check\"}")).reason()).startsWith("task_id:");
        Invalid malformed = (Invalid) parse("{\"task_id\": \"42\", \"task_type\": \"health_check\"}");
        assertThat(malformed.reason()).contains("\"42\"");
        assertThat(malformed.taskId()).isNull();
    }

    @Test
    void unknownTaskTypeIsInvalidAndNamesTheTask() {
        Invalid invalid = (Invalid) parse("{\"task_id\": \"" + ID + "\", \"task_type\": \"reboot\"}");

        assertThat(invalid.taskId()).isEqualTo(UUID.fromString(ID));
        assertThat(invalid.reason()).isEqualTo("task_type: unknown task type \"reboot\"; this worker runs 'health_check'");
    }

    @Test
    void unknownCheckInPayloadIsInvalidNamingTheField() {
        Invalid invalid = (Invalid) parse(task("{\"checks\": [\"cpu\", \"gpu\"]}"));

        assertThat(invalid.reason()).startsWith("payload.checks[1]:").contains("unknown check 'gpu'");
    }

    @Test
    void invalidThresholdInPayloadIsInvalidNamingTheField() {
        Invalid invalid = (Invalid) parse(task("{\"thresholds\": {\"disk\": {\"warning\": 90, \"error\": 80}}}"));

        assertThat(invalid.reason()).startsWith("payload.thresholds.disk:").contains("must not be above error");
    }

    @Test
    void unknownPayloadFieldIsInvalid() {
        Invalid invalid = (Invalid) parse(task("{\"colour\": \"blue\"}"));

        assertThat(invalid.reason()).isEqualTo("payload: unknown field 'colour'");
    }

    @Test
    void oversizedBodyIsInvalidWithoutParsing() {
        byte[] huge = new byte[VitalsJson.MAX_MESSAGE_BYTES + 1];

        assertThat(((Invalid) parser.parse(huge, null)).reason()).contains("bytes; a task is at most");
    }
}
