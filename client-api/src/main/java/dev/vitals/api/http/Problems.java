package dev.vitals.api.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.idempotency.IdempotencyKey;
import dev.vitals.api.idempotency.IdempotencyKeyReusedException;
import dev.vitals.api.idempotency.RequestInProgressException;
import dev.vitals.api.schedule.ScheduleConflictException;
import dev.vitals.api.schedule.ScheduleNotFoundException;
import dev.vitals.api.store.StoreUnavailableException;
import dev.vitals.api.task.TaskNotAcceptedException;
import dev.vitals.api.task.TaskNotFoundException;
import dev.vitals.api.task.WorkerUnavailableException;
import dev.vitals.api.worker.WorkerNotFoundException;
import dev.vitals.model.ValidationException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where a failure becomes an HTTP answer. */
final class Problems {

    /** What {@code Retry-After} says when the broker or the store is away. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    /** What {@code Retry-After} says when a request with the same {@code Idempotency-Key} is in progress. */
    static final Duration IN_PROGRESS_RETRY_AFTER = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private final ObjectMapper mapper;

    Problems(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Maps any failure to its problem; an unexpected one is logged with its stack trace and answered 500 without it. */
    Problem of(Throwable failure) {
        Throwable e = unwrap(failure);
        return switch (e) {
            case ProblemException p -> p.problem();
            case ValidationException v -> new Problem(400, v.getMessage(), v.field(), null);
            case TaskNotFoundException n -> new Problem(404, n.getMessage());
            case ScheduleNotFoundException n -> new Problem(404, n.getMessage(), "name", null);
            case ScheduleConflictException c -> new Problem(409, c.getMessage(), c.field(), null);
            case WorkerNotFoundException n -> new Problem(404, n.getMessage());
            case WorkerUnavailableException w -> new Problem(404, w.getMessage(), "target", null);
            case TaskNotAcceptedException n -> new Problem(503, n.getMessage(), null, RETRY_AFTER);
            case IdempotencyKeyReusedException r -> new Problem(422, r.getMessage(), IdempotencyKey.HEADER, null);
            case RequestInProgressException p -> new Problem(409, p.getMessage(), IdempotencyKey.HEADER,
                    IN_PROGRESS_RETRY_AFTER);
            case StoreUnavailableException s -> {
                log.warn("Task store unavailable: {}", s.getMessage());
                yield new Problem(503, "the task store is unavailable; retry shortly", null, RETRY_AFTER);
            }
            case HttpResponseException h -> new Problem(h.getStatus(), h.getMessage());
            default -> {
                log.error("Request failed unexpectedly", e);
                yield new Problem(500, "an unexpected error occurred; the API's log has the details");
            }
        };
    }

    void answer(Context ctx, Throwable failure) {
        write(ctx, of(failure));
    }

    void write(Context ctx, Problem problem) {
        ctx.status(problem.status()).contentType(Problem.CONTENT_TYPE);
        if (problem.retryAfter() != null) {
            ctx.header("Retry-After", Long.toString(problem.retryAfter().toSeconds()));
        }
        if (problem.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        ctx.result(json(problem));
    }

    /** The problem's {@code application/problem+json} body. */
    byte[] json(Problem problem) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("type", problem.type());
            json.writeStringField("title", problem.title());
            json.writeNumberField("status", problem.status());
            json.writeStringField("detail", problem.detail());
            if (problem.field() != null) {
                json.writeStringField("field", problem.field());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
