package dev.vitals.api.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.alert.AlertStore;
import dev.vitals.api.alert.Silence;
import dev.vitals.api.alert.StoredAlert;
import dev.vitals.model.CheckName;
import dev.vitals.model.ValidationException;
import dev.vitals.model.json.JsonErrors;
import dev.vitals.model.task.Target;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** {@code /api/v1/alerts} (read) and {@code /api/v1/silences} (create, read, delete). */
final class AlertRoutes {

    static final String ALERTS = "/api/v1/alerts";
    static final String SILENCES = "/api/v1/silences";

    /** The longest silence: a year. Longer than that, delete the channel or the worker instead. */
    static final Duration LONGEST_SILENCE = Duration.ofDays(366);
    private static final int MAX_REASON_LENGTH = 1000;
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final AlertStore store;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final long maxBodyBytes;

    AlertRoutes(AlertStore store, ObjectMapper mapper, Clock clock, long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.store = store;
        this.mapper = mapper;
        this.clock = clock;
    }

    /** {@code GET /api/v1/alerts?status=open|resolved&worker_id=…&limit=…}, newest first. */
    void list(Context ctx) {
        String status = ctx.queryParam("status");
        Boolean open = null;
        if (status != null) {
            if (!status.equals("open") && !status.equals("resolved")) {
                throw new ValidationException("status", "must be open or resolved, got '" + Answers.clip(status) + "'");
            }
            open = status.equals("open");
        }
        String workerId = ctx.queryParam("worker_id");
        if (workerId != null && !Target.isWorkerId(workerId)) {
            throw new ValidationException("worker_id", "must be a worker id, got '" + Answers.clip(workerId) + "'");
        }
        int limit = Answers.limit(ctx.queryParam("limit"), DEFAULT_LIMIT, MAX_LIMIT);
        Answers.json(ctx, mapper, 200, Map.of("alerts", store.list(open, workerId, limit).stream().map(AlertRoutes::alert).toList()));
    }

    /** {@code POST /api/v1/silences}: 201 with the silence and its {@code Location}. */
    void createSilence(Context ctx) {
        SilenceRequest request = parse(RequestBody.read(ctx, maxBodyBytes));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Silence silence = request.validated(now);
        store.insertSilence(silence);
        ctx.header("Location", SILENCES + "/" + silence.id());
        Answers.json(ctx, mapper, 201, silence(silence, now));
    }

    /** {@code GET /api/v1/silences}: those not yet ended, soonest first. */
    void listSilences(Context ctx) {
        Instant now = clock.instant();
        Answers.json(ctx, mapper, 200, Map.of("silences", store.silences(now).stream().map(s -> silence(s, now)).toList()));
    }

    void getSilence(Context ctx) {
        UUID id = silenceId(ctx.pathParam("silence_id"));
        Silence silence = store.findSilence(id).orElseThrow(() -> notFound(id));
        Answers.json(ctx, mapper, 200, silence(silence, clock.instant()));
    }

    /** {@code DELETE /api/v1/silences/{id}}: ends it now; 204. */
    void deleteSilence(Context ctx) {
        UUID id = silenceId(ctx.pathParam("silence_id"));
        if (!store.deleteSilence(id)) {
            throw notFound(id);
        }
        ctx.status(204);
    }

    /** A silence as {@code POST /api/v1/silences} takes it. */
    record SilenceRequest(@Nullable String workerId, @Nullable String check, @Nullable Instant startsAt,
                          @Nullable Instant endsAt, @Nullable String reason) {

        Silence validated(Instant now) {
            if (workerId != null && !Target.isWorkerId(workerId)) {
                throw new ValidationException("worker_id", "must be a worker id (letters, digits, '.', '_', ':' or"
                        + " '-', at most " + Target.MAX_WORKER_ID_LENGTH + " characters), or left out for every worker");
            }
            if (check != null && Arrays.stream(CheckName.values()).noneMatch(name -> name.id().equals(check))) {
                throw new ValidationException("check", "must be one of " + Arrays.stream(CheckName.values())
                        .map(CheckName::id).toList() + ", or left out for every check; got '" + Answers.clip(check) + "'");
            }
            if (endsAt == null) {
                throw new ValidationException("ends_at", "is required: when the silence ends (an ISO-8601 time)");
            }
            Instant starts = startsAt == null ? now : startsAt.truncatedTo(ChronoUnit.MILLIS);
            Instant ends = endsAt.truncatedTo(ChronoUnit.MILLIS);
            if (!ends.isAfter(starts)) {
                throw new ValidationException("ends_at", "must be after starts_at (" + starts + ")");
            }
            if (!ends.isAfter(now)) {
                throw new ValidationException("ends_at", "must be in the future");
            }
            if (Duration.between(starts, ends).compareTo(LONGEST_SILENCE) > 0) {
                throw new ValidationException("ends_at", "must be at most " + LONGEST_SILENCE.toDays()
                        + " days after starts_at");
            }
            if (reason == null || reason.isBlank()) {
                throw new ValidationException("reason", "is required: why nothing is to be sent (people will ask)");
            }
            if (reason.length() > MAX_REASON_LENGTH) {
                throw new ValidationException("reason", "must be at most " + MAX_REASON_LENGTH + " characters");
            }
            return new Silence(UUID.randomUUID(), workerId, check, starts, ends, reason.strip(), now);
        }
    }

    private SilenceRequest parse(byte[] body) {
        if (RequestBody.isBlank(body)) {
            throw new ValidationException("body", "must be a JSON object with at least ends_at and reason");
        }
        try {
            SilenceRequest request = mapper.readValue(body, SilenceRequest.class);
            if (request == null) {
                throw new ValidationException("body", "must be a JSON object with at least ends_at and reason");
            }
            return request;
        } catch (JacksonException e) {
            throw JsonErrors.describe(e, "body", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> alert(StoredAlert alert) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", alert.id());
        json.put("worker_id", alert.workerId());
        json.put("hostname", alert.details().hostname());
        json.put("check", alert.check());
        json.put("cause", alert.cause().id());
        json.put("status", alert.open() ? "open" : "resolved");
        json.put("opened_at", alert.openedAt());
        json.put("resolved_at", alert.resolvedAt());
        json.put("reason", alert.reason());
        json.put("checks", alert.details().checks());
        json.put("last_runs", alert.details().lastRuns());
        json.put("task_id", alert.details().taskId());
        json.put("notifications", alert.notifications().stream().map(sent -> {
            Map<String, Object> notification = new LinkedHashMap<>();
            notification.put("id", sent.id());
            notification.put("channel", sent.channel());
            notification.put("kind", sent.kind());
            notification.put("status", sent.status());
            notification.put("attempts", sent.attempts());
            notification.put("created_at", sent.createdAt());
            notification.put("sent_at", sent.sentAt());
            notification.put("error", sent.error());
            return notification;
        }).toList());
        return json;
    }

    private static Map<String, Object> silence(Silence silence, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", silence.id());
        json.put("worker_id", silence.workerId());
        json.put("check", silence.check());
        json.put("starts_at", silence.startsAt());
        json.put("ends_at", silence.endsAt());
        json.put("reason", silence.reason());
        json.put("created_at", silence.createdAt());
        json.put("active", silence.activeAt(now));
        return json;
    }

    private static UUID silenceId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("silence_id", "must be a UUID, got '" + Answers.clip(text) + "'");
        }
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(404, "no silence " + id + " (it may have ended and been deleted)");
    }
}
