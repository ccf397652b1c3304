package dev.vitals.api.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.store.StoredTask;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The task JSON of the contract, the one place it is written: {@code task_id}, {@code task_type},
 * {@code status}, {@code target}, {@code created_at}, {@code started_at}, {@code completed_at},
 * {@code worker_id}, {@code result}, {@code error}, and {@code schedule} for a task a schedule's run created (only
 * then: an on-demand task's JSON is as the contract shows it), and {@code "canary": true} for a canary task (only
 * then). The result is embedded exactly as it was stored
 * (the report as the worker sent it), never parsed and re-encoded.
 * With tracing on, {@code trace_id} too: the trace of the request that created the task, or null when it has
 * none (not sampled, or made with tracing off).
 */
public final class TaskJson {

    private final ObjectMapper mapper;
    private final boolean withTraceId;

    public TaskJson(ObjectMapper mapper) {
        this(mapper, false);
    }

    /** @param withTraceId whether tasks carry {@code trace_id}: tracing is on */
    public TaskJson(ObjectMapper mapper, boolean withTraceId) {
        this.mapper = mapper;
        this.withTraceId = withTraceId;
    }

    public byte[] task(StoredTask task) {
        return render(json -> write(json, task));
    }

    /** {@code {"tasks": [...]}}. */
    public byte[] tasks(List<StoredTask> tasks) {
        return render(json -> {
            json.writeStartObject();
            json.writeArrayFieldStart("tasks");
            for (StoredTask task : tasks) {
                write(json, task);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    void write(JsonGenerator json, StoredTask task) throws IOException {
        json.writeStartObject();
        json.writeStringField("task_id", task.taskId().toString());
        json.writeStringField("task_type", task.taskType());
        json.writeStringField("status", task.status().id());
        json.writeStringField("target", task.target().value());
        time(json, "created_at", task.createdAt());
        time(json, "started_at", task.startedAt());
        time(json, "completed_at", task.completedAt());
        json.writeStringField("worker_id", task.workerId());
        json.writeFieldName("result");
        if (task.resultJson() == null) {
            json.writeNull();
        } else {
            json.writeRawValue(task.resultJson());
        }
        json.writeStringField("error", task.error());
        if (task.schedule() != null) {
            json.writeStringField("schedule", task.schedule());
        }
        if (task.canary()) {
            json.writeBooleanField("canary", true);
        }
        if (withTraceId) {
            json.writeStringField("trace_id", task.traceId());
        }
        json.writeEndObject();
    }

    private static void time(JsonGenerator json, String field, @Nullable Instant instant) throws IOException {
        json.writeFieldName(field);
        json.writeObject(instant);
    }

    private byte[] render(Writer writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            writer.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @FunctionalInterface
    private interface Writer {
        void write(JsonGenerator json) throws IOException;
    }
}
