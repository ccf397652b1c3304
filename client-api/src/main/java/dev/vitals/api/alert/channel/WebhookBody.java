package dev.vitals.api.alert.channel;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.alert.Notification;
import dev.vitals.api.alert.NotificationText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The JSON a webhook receives (its schema is {@code WebhookNotification} in the OpenAPI document):
 * <pre>{@code
 * {"notification_id": "…", "kind": "opened", "created_at": "…", "text": "ALERT host-a-1: …",
 *  "alert": {"id": 7, "status": "open", "worker_id": "host-a-1", "hostname": "host-a", "check": null,
 *            "opened_at": "…", "resolved_at": null, "duration_seconds": null, "reason": "…",
 *            "checks": [{"check": "disk", "status": "error", "value": 97.1, "warning": 90, "error": 95}],
 *            "last_runs": ["error", "error", "error"], "task_id": "…",
 *            "links": {"task": "…", "dashboard": "…"}}}
 * }</pre>
 * The same notification always gives the same bytes, so that a retry carries the same signature.
 */
public final class WebhookBody {

    private final ObjectMapper mapper;

    public WebhookBody(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public byte[] json(Notification notification) {
        Notification.Alert alert = notification.alert();
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("notification_id", notification.id().toString());
            json.writeStringField("kind", notification.kind().id());
            time(json, "created_at", notification.createdAt());
            json.writeStringField("text", NotificationText.headline(notification));
            json.writeObjectFieldStart("alert");
            json.writeNumberField("id", alert.id());
            json.writeStringField("status", alert.open() ? "open" : "resolved");
            json.writeStringField("worker_id", alert.workerId());
            json.writeStringField("hostname", alert.hostname());
            json.writeStringField("check", alert.check());
            time(json, "opened_at", alert.openedAt());
            time(json, "resolved_at", alert.resolvedAt());
            Duration duration = alert.duration();
            if (duration == null) {
                json.writeNullField("duration_seconds");
            } else {
                json.writeNumberField("duration_seconds", duration.toSeconds());
            }
            json.writeStringField("reason", alert.reason());
            json.writeArrayFieldStart("checks");
            for (Notification.CheckDetail check : alert.checks()) {
                json.writeStartObject();
                json.writeStringField("check", check.check());
                json.writeStringField("status", check.status());
                number(json, "value", check.value());
                number(json, "warning", check.warning());
                number(json, "error", check.error());
                json.writeStringField("reason", check.reason());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("last_runs");
            for (String run : alert.lastRuns()) {
                json.writeString(run);
            }
            json.writeEndArray();
            json.writeStringField("task_id", alert.taskId() == null ? null : alert.taskId().toString());
            json.writeObjectFieldStart("links");
            json.writeStringField("task", alert.taskLink() == null ? null : alert.taskLink().toString());
            json.writeStringField("dashboard", alert.dashboard() == null ? null : alert.dashboard().toString());
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void time(JsonGenerator json, String field, @Nullable Instant at) throws IOException {
        json.writeStringField(field, at == null ? null : at.toString());
    }

    private static void number(JsonGenerator json, String field, @Nullable Double value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value);
        }
    }
}
