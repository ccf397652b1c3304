package dev.vitals.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.store.StoredTask;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskJsonTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private final ObjectMapper mapper = VitalsJson.newMapper();
    private final StoredTask task = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ANY, "{}",
            Instant.parse("2026-11-22T10:15:30.123Z"), Instant.parse("2026-11-22T10:16:00.123Z"), List.of());

    private JsonNode json(TaskJson taskJson, StoredTask task) throws IOException {
        return mapper.readTree(taskJson.task(task));
    }

    @Test
    void writesTheContractsFieldsOnlyWithTracingOff() throws IOException {
        JsonNode json = json(new TaskJson(mapper), task.tracedAs(TRACE));

        assertThat(json.has("trace_id")).isFalse();
        assertThat(json.has("task_id")).isTrue();
    }

    @Test
    void writesTheTraceIdWithTracingOn() throws IOException {
        assertThat(json(new TaskJson(mapper, true), task.tracedAs(TRACE)).path("trace_id").asText()).isEqualTo(TRACE);
    }

    @Test
    void writesANullTraceIdWithTracingOnForATaskMadeInNoSampledTrace() throws IOException {
        JsonNode json = json(new TaskJson(mapper, true), task);

        assertThat(json.has("trace_id")).isTrue();
        assertThat(json.path("trace_id").isNull()).isTrue();
    }
}
