package dev.vitals.api.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.idempotency.IdempotencyKey;
import dev.vitals.api.idempotency.IdempotentSubmissions;
import dev.vitals.api.schedule.Schedule;
import dev.vitals.api.store.StoredTask;
import dev.vitals.api.store.TaskQuery;
import dev.vitals.api.task.TaskNotFoundException;
import dev.vitals.api.task.TaskService;
import dev.vitals.model.ValidationException;
import dev.vitals.model.json.JsonErrors;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskIds;
import dev.vitals.model.task.TaskRequest;
import dev.vitals.model.task.TaskStatus;
import dev.vitals.model.task.TaskWait;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/** {@code /api/v1/health-checks}: submit, read, wait for and list tasks. */
final class TaskRoutes {

    static final String BASE = "/api/v1/health-checks";

    private final TaskService tasks;
    private final IdempotentSubmissions idempotency;
    private final TaskJson taskJson;
    private final ObjectMapper mapper;
    private final long maxBodyBytes;
    private final Duration maxWait;

    TaskRoutes(TaskService tasks, IdempotentSubmissions idempotency, TaskJson taskJson, ObjectMapper mapper,
               long maxBodyBytes, Duration maxWait) {
        this.tasks = tasks;
        this.idempotency = idempotency;
        this.taskJson = taskJson;
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
        this.maxWait = maxWait;
    }

    /** {@code POST}: 202 with the queued task, or 200 with the finished one when it ends within {@code ?wait}. */
    void submit(Context ctx) {
        Duration wait = waitParameter(ctx);
        byte[] body = RequestBody.read(ctx, maxBodyBytes);
        TaskRequest request;
        String requestJson;
        if (RequestBody.isBlank(body)) {
            request = TaskRequest.DEFAULT;
            requestJson = "{}";
        } else {
            RequestBody.requireJson(ctx);
            request = parse(body);
            requestJson = new String(body, StandardCharsets.UTF_8).strip();
        }
        List<String> keyHeaders = Collections.list(ctx.req().getHeaders(IdempotencyKey.HEADER));
        if (!keyHeaders.isEmpty()) {
            submitOnce(ctx, IdempotencyKey.parse(BearerAuth.scope(ctx), keyHeaders), request, requestJson, wait);
            return;
        }
        CompletableFuture<StoredTask> submitted = tasks.submit(request, requestJson, wait);
        ctx.future(() -> submitted.thenAccept(task -> answer(ctx, task)));
    }

    /**
     * {@code POST} with an {@code Idempotency-Key}: the first request with the key makes the task as any POST does;
     * a later one with the same body answers 200 with that task as it is now (after {@code ?wait}, if asked), with
     * {@code Idempotent-Replayed: true}.
     */
    private void submitOnce(Context ctx, IdempotencyKey key, TaskRequest request, String requestJson, Duration wait) {
        request.validate(); // a bad body is 400 whatever the key
        IdempotentSubmissions.Outcome outcome = idempotency.begin(key, requestJson);
        if (outcome instanceof IdempotentSubmissions.Replay(StoredTask task)) {
            ctx.header("Idempotent-Replayed", "true");
            if (wait.isZero() || task.status().isTerminal()) {
                replay(ctx, task);
            } else {
                ctx.future(() -> tasks.await(task.taskId(), wait).thenAccept(found -> replay(ctx, found)));
            }
            return;
        }
        IdempotentSubmissions.Taken taken = (IdempotentSubmissions.Taken) outcome;
        CompletableFuture<StoredTask> submitted;
        try {
            submitted = tasks.submit(request, requestJson, wait, taken.taskId(), task -> idempotency.accepted(taken));
        } catch (RuntimeException e) {
            idempotency.failed(taken);
            throw e;
        }
        ctx.future(() -> submitted.whenComplete((task, failure) -> {
            if (failure != null) {
                idempotency.failed(taken); // does nothing once the task was accepted
            }
        }).thenAccept(task -> answer(ctx, task)));
    }

    private void replay(Context ctx, StoredTask task) {
        ctx.header("Location", BASE + "/" + task.taskId());
        respond(ctx, 200, task);
    }

    /** {@code GET /{task_id}}: the task; with {@code ?wait}, once it ends or the wait is over. */
    void get(Context ctx) {
        UUID taskId = taskId(ctx.pathParam("task_id"));
        Duration wait = waitParameter(ctx);
        StoredTask task = tasks.find(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
        if (wait.isZero() || task.status().isTerminal()) {
            respond(ctx, 200, task);
            return;
        }
        ctx.future(() -> tasks.await(taskId, wait).thenAccept(found -> respond(ctx, 200, found)));
    }

    /**
     * {@code GET}: recent tasks, newest first, filtered by {@code status}, {@code worker_id}, {@code since},
     * {@code schedule}, {@code limit}; canaries only with {@code canary=true}, never otherwise.
     */
    void list(Context ctx) {
        TaskQuery query = new TaskQuery(status(ctx.queryParam("status")), workerId(ctx.queryParam("worker_id")),
                since(ctx.queryParam("since")), schedule(ctx.queryParam("schedule")), limit(ctx.queryParam("limit")),
                canary(ctx.queryParam("canary")));
        ctx.status(200).contentType("application/json").result(taskJson.tasks(tasks.list(query)));
    }

    private void answer(Context ctx, StoredTask task) {
        ctx.header("Location", BASE + "/" + task.taskId());
        respond(ctx, task.status().isTerminal() ? 200 : 202, task);
    }

    private void respond(Context ctx, int status, StoredTask task) {
        ctx.status(status).contentType("application/json").result(taskJson.task(task));
    }

    private TaskRequest parse(byte[] body) {
        try {
            TaskRequest request = mapper.readValue(body, TaskRequest.class);
            if (request == null) {
                throw new ValidationException("body", "must be a JSON object, or empty for the defaults");
            }
            return request;
        } catch (JacksonException e) {
            throw JsonErrors.describe(e, "body", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Duration waitParameter(Context ctx) {
        String text = ctx.queryParam("wait");
        if (text == null) {
            return Duration.ZERO;
        }
        int seconds = integer("wait", text, "a number of seconds from 0 to " + TaskWait.MAX_SECONDS);
        if (seconds < 0 || seconds > TaskWait.MAX_SECONDS) {
            throw new ValidationException("wait", "must be a number of seconds from 0 to " + TaskWait.MAX_SECONDS
                    + ", got " + seconds);
        }
        // A replica configured to hold requests less long than the contract allows waits its own limit.
        Duration wanted = Duration.ofSeconds(seconds);
        return wanted.compareTo(maxWait) > 0 ? maxWait : wanted;
    }

    private static UUID taskId(String text) {
        return TaskIds.parse(text).orElseThrow(() ->
                new ValidationException("task_id", "must be a UUID, got '" + Answers.clip(text) + "'"));
    }

    private static @Nullable TaskStatus status(@Nullable String text) {
        if (text == null) {
            return null;
        }
        try {
            return TaskStatus.of(text);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("status", "must be one of queued, running, completed, failed, expired, got '"
                    + Answers.clip(text) + "'");
        }
    }

    private static @Nullable String workerId(@Nullable String text) {
        if (text != null && !Target.isWorkerId(text)) {
            throw new ValidationException("worker_id", "must be a worker id (letters, digits, '.', '_', ':' or '-',"
                    + " at most " + Target.MAX_WORKER_ID_LENGTH + " characters), got '" + Answers.clip(text) + "'");
        }
        return text;
    }

    private static @Nullable String schedule(@Nullable String text) {
        if (text != null && !Schedule.isName(text)) {
            throw new ValidationException("schedule", "must be a schedule's name, got '" + Answers.clip(text) + "'");
        }
        return text;
    }

    private static boolean canary(@Nullable String text) {
        if (text == null || text.equals("false")) {
            return false;
        }
        if (text.equals("true")) {
            return true;
        }
        throw new ValidationException("canary", "must be true (canary tasks only) or false (every task but canaries),"
                + " got '" + Answers.clip(text) + "'");
    }

    private static @Nullable Instant since(@Nullable String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new ValidationException("since", "must be an ISO-8601 time such as 2026-11-22T10:15:30Z, got '"
                    + Answers.clip(text) + "'");
        }
    }

    private static int limit(@Nullable String text) {
        if (text == null) {
            return TaskQuery.DEFAULT_LIMIT;
        }
        int limit = integer("limit", text, "a whole number from 1 to " + TaskQuery.MAX_LIMIT);
        if (limit < 1 || limit > TaskQuery.MAX_LIMIT) {
            throw new ValidationException("limit", "must be from 1 to " + TaskQuery.MAX_LIMIT + ", got " + limit);
        }
        return limit;
    }

    private static int integer(String name, String text, String allowed) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new ValidationException(name, "must be " + allowed + ", got '" + Answers.clip(text) + "'");
        }
    }
}
