package dev.vitals.api.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.model.json.VitalsJson;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading a worker's report for what the API needs of it. */
class MessagesTest {

    private static final ObjectMapper MAPPER = VitalsJson.newMapper();
    private static final UUID TASK = UUID.fromString("5f0c8a2e-3b1d-4c6e-9f7a-1d2e3f4a5b6c");

    private static Messages.ReportFields read(String json) {
        return Messages.reportFields(MAPPER, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheTopLevelTaskWorkerAndStatusPastNestedValues() {
        Messages.ReportFields fields = read("""
                {"checks": {"cpu": {"status": "error", "task_id": "nested", "worker_id": "nested"}},
                 "mounts": [{"status": "warning"}, 1, "two", null],
                 "task_id": "%s", "worker_id": "host-a-1", "status": "healthy", "uptime_seconds": 12}
                """.formatted(TASK));

        assertThat(fields).isEqualTo(new Messages.ReportFields(TASK, "host-a-1", "healthy"));
    }

    @Test
    void aWorkerOrStatusThatIsNoStringIsNotTaken() {
        Messages.ReportFields fields = read("{\"task_id\": \"%s\", \"worker_id\": 7, \"status\": {\"id\": \"healthy\"}}"
                .formatted(TASK));

        assertThat(fields.workerId()).isNull();
        assertThat(fields.status()).isNull();
    }

    @Test
    void aBodyLargerThanAnyReportIsUnreadableWhateverItHolds() {
        String padding = "x".repeat(VitalsJson.MAX_MESSAGE_BYTES);
        String body = "{\"task_id\": \"%s\", \"worker_id\": \"host-a-1\", \"notes\": \"%s\"}".formatted(TASK, padding);

        assertThatThrownBy(() -> read(body)).isInstanceOf(UnreadableMessageException.class).hasMessageContaining("at most");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "not json",
            "[1, 2]",
            "{\"task_id\": \"5f0c8a2e-3b1d-4c6e-9f7a-1d2e3f4a5b6c\"} {}",
            "{\"task_id\": \"5f0c8a2e-3b1d-4c6e-9f7a-1d2e3f4a5b6c\", \"checks\": {\"cpu\": 1",
            "{\"task_id\": \"5f0c8a2e-3b1d-4c6e-9f7a-1d2e3f4a5b6c\", \"checks\": {\"cpu\": 1, \"cpu\": 2}}",
            "{\"task_id\": \"not a uuid\", \"worker_id\": \"host-a-1\"}",
            "{\"task_id\": 12, \"worker_id\": \"host-a-1\"}",
            "{\"worker_id\": \"host-a-1\"}"
    })
    void whatIsNotOneReportObjectWithATaskIdIsUnreadable(String body) {
        assertThatThrownBy(() -> read(body)).isInstanceOf(UnreadableMessageException.class);
    }
}
