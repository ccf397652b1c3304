package dev.vitals.api.task;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.store.StoredTask;
import dev.vitals.api.store.TaskStore;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.StatusAggregator;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskMessage;
import dev.vitals.model.task.TaskStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what happened to a task, as workers and the broker tell it, to the store. Every change is one
 * of the store's conditional updates, so an event applied twice, late, or by two replicas at once changes
 * the task once. A change that ends the task wakes this replica's waiters for it.
 *
 * <p>Store failures ({@link dev.vitals.api.store.StoreUnavailableException}) are thrown to the caller,
 * which keeps the event to apply it again.
 */
public final class TaskUpdates {

    private static final Logger log = LoggerFactory.getLogger(TaskUpdates.class);

    private final TaskStore store;
    private final TaskWaiters waiters;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final TaskObserver observer;

    public TaskUpdates(TaskStore store, TaskWaiters waiters, ObjectMapper mapper, Clock clock, TaskObserver observer) {
        this.store = store;
        this.waiters = waiters;
        this.mapper = mapper;
        this.clock = clock;
        this.observer = observer;
    }

    /** A worker took the task ({@code task.started}). */
    public void started(UUID taskId, String workerId, Instant at) {
        if (store.markRunning(taskId, workerId, at)) {
            log.debug("Task {} running on worker {}", taskId, workerId);
        } else if (store.recordLateStart(taskId, at)) {
            // Its end was stored first (by another replica, while this one held the start).
            log.debug("Task {} ended before its start was stored; start recorded", taskId);
        }
    }

    /**
     * A worker's report arrived ({@code task.completed}). For target {@code all} the task completes once
     * every expected worker reported, with the combined result; otherwise with the report as it came.
     *
     * @param reportJson the report as received, valid JSON
     * @param startedAt  when the worker started the task, if its {@code task.started} was not stored on its
     *                   own: it is stored with the report
     */
    public void reported(UUID taskId, String workerId, String reportJson, @Nullable Instant startedAt) {
        Instant now = now();
        // A task one worker runs (every target but all) completes in one step that also reads it back.
        Optional<StoredTask> completed = store.completeByWorker(taskId, workerId, startedAt, now, reportJson);
        if (completed.isPresent()) {
            ended(true, completed.get(), completed.get(), TaskStatus.COMPLETED, now, "completed by worker " + workerId);
            return;
        }
        Optional<StoredTask> found = store.find(taskId);
        if (found.isEmpty()) {
            keepUnmatched(taskId, workerId, reportJson, startedAt, now);
            return;
        }
        StoredTask task = found.get();
        if (!task.target().isAll()) {
            ignored(task, workerId);
            return;
        }
        store.addReport(taskId, workerId, now, reportJson);
        store.markRunning(taskId, workerId, startedAt == null ? now : startedAt);
        Combined combined = combine(task);
        if (combined.missing().isEmpty()) {
            ended(store.complete(taskId, null, null, now, combined.json()), task, null, TaskStatus.COMPLETED, now,
                    "completed by all " + task.expectedWorkers().size() + " expected workers");
        } else {
            log.info("Task {}: report from {}; still waiting for {}", taskId, workerId, combined.missing());
        }
    }

    /**
     * A report for a task the store does not hold: another AMQP client published the task, the API withdrew
     * it when its publish seemed to fail although the broker had taken it, or its row was lost. The report is kept as a completed task (target {@code any}, created when the worker started or
     * measured) rather than dropped, so the check's result can still be read by its id.
     */
    private void keepUnmatched(UUID taskId, String workerId, String reportJson, @Nullable Instant startedAt,
                               Instant now) {
        Instant started = startedAt != null ? startedAt : measuredAt(reportJson, now);
        StoredTask task = new StoredTask(taskId, TaskMessage.HEALTH_CHECK, Target.ANY, TaskStatus.COMPLETED,
                "{}", started, now, started, now, workerId, reportJson, null, List.of(), null, null, false);
        boolean kept = store.insertReported(task);
        if (kept) {
            log.warn("Task {} was not in the store (published by another client, withdrawn after its publish"
                    + " failed, or its row was lost); the report of worker {} is kept as the task", taskId, workerId);
        }
        ended(kept, task, task, TaskStatus.COMPLETED, now, "completed by worker " + workerId);
    }

    /** When the report says its worker measured, or {@code now} when it does not say so readably or says later. */
    private Instant measuredAt(String reportJson, Instant now) {
        try {
            Instant at = Instant.parse(tree(reportJson).path("timestamp").asText()).truncatedTo(ChronoUnit.MILLIS);
            return at.isAfter(now) ? now : at;
        } catch (DateTimeParseException e) {
            return now;
        }
    }

    /**
     * A task for target {@code all} reached its deadline: it completes with the reports it has, naming the
     * workers that did not answer, or fails when none did.
     */
    public void overdue(StoredTask task) {
        Instant now = now();
        Combined combined = combine(task);
        if (combined.reports() == 0) {
            ended(store.fail(task.taskId(), now, "no worker answered within the task's timeout (expected "
                    + String.join(", ", task.expectedWorkers()) + ")"), task, null, TaskStatus.FAILED, now,
                    "failed: no worker answered");
        } else {
            ended(store.complete(task.taskId(), null, null, now, combined.json()), task, null, TaskStatus.COMPLETED, now,
                    "completed at its deadline without " + combined.missing());
        }
    }

    /** The combined result of a task for target {@code all} from the reports stored so far. */
    private Combined combine(StoredTask task) {
        List<String> reports = store.reports(task.taskId());
        Set<String> reported = new HashSet<>();
        List<HealthStatus> statuses = new ArrayList<>();
        for (String report : reports) {
            JsonNode tree = tree(report);
            reported.add(tree.path("worker_id").asText());
            statuses.add(status(tree));
        }
        List<String> missing = task.expectedWorkers().stream().filter(w -> !reported.contains(w)).toList();
        return new Combined(combined(StatusAggregator.ofReports(statuses), reports, task.expectedWorkers().size(),
                missing), reports.size(), missing);
    }

    private record Combined(String json, int reports, List<String> missing) {
    }

    /**
     * A report for a task one worker runs that had already ended: the same report again (a redelivered
     * task, run again after its first worker died before acknowledging it), or one that came too late.
     */
    private static void ignored(StoredTask task, String workerId) {
        if (task.status() == TaskStatus.COMPLETED && workerId.equals(task.workerId())) {
            return;
        }
        log.info("Task {}: report from worker {} ignored, the task is already {}{}", task.taskId(), workerId,
                task.status().id(), task.workerId() == null ? "" : " by worker " + task.workerId());
    }

    /**
     * A worker could not carry the task out ({@code task.failed}), or gave it up to the dead letters. For
     * target {@code all} that is one copy of the task: the others may still report, and the task ends with
     * what it has at its deadline.
     */
    public void failed(UUID taskId, String reason) {
        Optional<StoredTask> task = store.find(taskId);
        if (task.isEmpty()) {
            return;
        }
        if (task.get().target().isAll()) {
            log.info("Task {} (target all): one worker's copy failed: {}", taskId, reason);
            return;
        }
        Instant now = now();
        ended(store.fail(taskId, now, reason), task.get(), task.get().endedWithError(TaskStatus.FAILED, now, reason),
                TaskStatus.FAILED, now, "failed: " + reason);
    }

    /** The broker dropped the task's message unconsumed: no worker took it in time. */
    public void expired(UUID taskId, String reason) {
        Optional<StoredTask> task = store.find(taskId);
        if (task.isEmpty()) {
            return;
        }
        if (task.get().target().isAll()) {
            log.info("Task {} (target all): one worker's copy expired unconsumed", taskId);
            return;
        }
        Instant now = now();
        ended(store.expire(taskId, now, reason), task.get(), task.get().endedWithError(TaskStatus.EXPIRED, now, reason),
                TaskStatus.EXPIRED, now, "expired: " + reason);
    }

    /**
     * @param ended the task as the change left it in the store, when that is known without a read; its
     *              waiters then get it as it is, else they read it
     */
    private void ended(boolean changed, StoredTask task, @Nullable StoredTask ended, TaskStatus status, Instant at,
            String how) {
        if (changed) {
            log.info("Task {} {}", task.taskId(), how);
            if (ended == null) {
                waiters.wake(task.taskId());
            } else {
                waiters.ended(ended);
            }
            observer.ended(task, status, at);
        }
    }

    /** Now, at the store's precision, so that a task changed in memory is the task the store reads back. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The result of a task for every worker:
     * {@code {"status": worst, "reports": [...], "expected_workers": n, "missing_workers": [...]}}, each
     * report embedded as it was received.
     */
    String combined(HealthStatus worst, List<String> reports, int expectedWorkers, List<String> missing) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("status", worst.id());
            json.writeArrayFieldStart("reports");
            for (String report : reports) {
                json.writeRawValue(report);
            }
            json.writeEndArray();
            json.writeNumberField("expected_workers", expectedWorkers);
            json.writeArrayFieldStart("missing_workers");
            for (String worker : missing) {
                json.writeString(worker);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private JsonNode tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored report is not JSON", e);
        }
    }

    /** A report's overall status; one that cannot be read counts as a warning (not known to be healthy). */
    private static HealthStatus status(JsonNode report) {
        return HealthStatus.find(report.path("status").asText()).orElse(HealthStatus.WARNING);
    }
}
