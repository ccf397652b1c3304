package dev.vitals.api.store;

import dev.vitals.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskStore} that gives each call made in a trace a database client span, after OpenTelemetry's
 * conventions for database calls: named {@code <operation> <table>}, with {@code db.system.name},
 * {@code db.operation.name}, {@code db.collection.name} and {@code vitals.store.call} (the store's method).
 * A call made in no trace (a sweep, a start stored after its hold) makes no span. Used only with tracing on.
 */
public final class TracedTaskStore extends ForwardingTaskStore {

    private final Tracing tracing;
    private final String system;

    /** @param jdbcUrl the store's URL, which says the database system ({@code h2}, {@code postgresql}) */
    public TracedTaskStore(TaskStore store, Tracing tracing, String jdbcUrl) {
        super(store);
        this.tracing = tracing;
        this.system = system(jdbcUrl);
    }

    static String system(String jdbcUrl) {
        String[] parts = jdbcUrl.split(":", 3);
        return parts.length >= 2 && parts[0].equals("jdbc") ? parts[1].toLowerCase(Locale.ROOT) : "other_sql";
    }

    private <T> T traced(String operation, String call, Supplier<T> work) {
        return traced(operation, "tasks", call, work);
    }

    private <T> T traced(String operation, String table, String call, Supplier<T> work) {
        Span span = tracing.startInTrace(operation + " " + table, SpanKind.CLIENT);
        if (!span.isRecording()) {
            return work.get();
        }
        span.setAttribute("db.system.name", system);
        span.setAttribute("db.operation.name", operation);
        span.setAttribute("db.collection.name", table);
        span.setAttribute("vitals.store.call", call);
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException e) {
            Tracing.failed(span, e);
            throw e;
        } finally {
            span.end();
        }
    }

    private void tracedRun(String operation, String call, Runnable work) {
        traced(operation, call, () -> {
            work.run();
            return null;
        });
    }

    @Override
    public Optional<StoredTask> find(UUID taskId) {
        return traced("SELECT", "find", () -> super.find(taskId));
    }

    @Override
    public boolean delete(UUID taskId) {
        return traced("DELETE", "delete", () -> super.delete(taskId));
    }

    @Override
    public void insert(StoredTask task) {
        tracedRun("INSERT", "insert", () -> super.insert(task));
    }

    @Override
    public boolean insertReported(StoredTask task) {
        return traced("INSERT", "insertReported", () -> super.insertReported(task));
    }

    @Override
    public boolean markRunning(UUID taskId, String workerId, Instant startedAt) {
        return traced("UPDATE", "markRunning", () -> super.markRunning(taskId, workerId, startedAt));
    }

    @Override
    public boolean recordLateStart(UUID taskId, Instant startedAt) {
        return traced("UPDATE", "recordLateStart", () -> super.recordLateStart(taskId, startedAt));
    }

    @Override
    public boolean addReport(UUID taskId, String workerId, Instant receivedAt, String reportJson) {
        return traced("INSERT", "task_reports", "addReport", () -> super.addReport(taskId, workerId, receivedAt, reportJson));
    }

    @Override
    public List<String> reports(UUID taskId) {
        return traced("SELECT", "task_reports", "reports", () -> super.reports(taskId));
    }

    @Override
    public boolean complete(UUID taskId, @Nullable String workerId, @Nullable Instant startedAt, Instant completedAt,
                            String resultJson) {
        return traced("UPDATE", "complete",
                () -> super.complete(taskId, workerId, startedAt, completedAt, resultJson));
    }

    @Override
    public Optional<StoredTask> completeByWorker(UUID taskId, String workerId, @Nullable Instant startedAt,
                                                 Instant completedAt, String reportJson) {
        return traced("UPDATE", "completeByWorker",
                () -> super.completeByWorker(taskId, workerId, startedAt, completedAt, reportJson));
    }

    @Override
    public boolean fail(UUID taskId, Instant at, String reason) {
        return traced("UPDATE", "fail", () -> super.fail(taskId, at, reason));
    }

    @Override
    public boolean expire(UUID taskId, Instant at, String reason) {
        return traced("UPDATE", "expire", () -> super.expire(taskId, at, reason));
    }
}
