package dev.vitals.api.task;

import dev.vitals.api.store.StoredTask;
import dev.vitals.api.store.TaskQuery;
import dev.vitals.api.store.TaskStore;
import dev.vitals.api.worker.WorkerDirectory;
import dev.vitals.api.worker.WorkerInfo;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskMessage;
import dev.vitals.model.task.TaskRequest;
import dev.vitals.model.task.TaskStatus;
import dev.vitals.tracing.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The life of a task as callers see it: submitted (stored, then published), found, listed, awaited.
 * What workers report is applied by {@link TaskUpdates}; overdue tasks are ended by {@link ExpirySweeper}.
 *
 * <p>Targets: {@code any} is published once to {@code maintenance_tasks}, where any worker may take it; a
 * worker id is published to that worker's own queue (refused with 404 when the worker is unknown, not alive
 * or its queue is gone); {@code all} is published once to the queue of every worker alive now, with those
 * workers as the expected ones; with no live worker it is refused ({@link TaskNotAcceptedException}, 503)
 * rather than accepted and failed, since retrying later may well succeed.
 */
public final class TaskService {

    private static final Logger log = LoggerFactory.getLogger(TaskService.class);

    private final TaskStore store;
    private final TaskQueue queue;
    private final TaskWaiters waiters;
    private final WorkerDirectory workers;
    private final Clock clock;
    private final Duration defaultTimeout;
    private final Executor blocking;
    private final TaskObserver observer;

    /**
     * @param defaultTimeout how long a task may wait for a worker when the request does not say
     * @param blocking       where store work after a publish confirm runs (never the broker's threads)
     * @param observer       told of every task accepted
     */
    public TaskService(TaskStore store, TaskQueue queue, TaskWaiters waiters, WorkerDirectory workers,
            Clock clock, Duration defaultTimeout, Executor blocking, TaskObserver observer) {
        this.store = store;
        this.queue = queue;
        this.waiters = waiters;
        this.workers = workers;
        this.clock = clock;
        this.defaultTimeout = defaultTimeout;
        this.blocking = blocking;
        this.observer = observer;
    }

    /**
     * Accepts a task: validates the request, stores the task {@code queued}, publishes it and waits for
     * the broker's confirm, then up to {@code wait} for the task to end. The wait begins before the task is
     * published, so that its end cannot be missed, and needs no read of the store to begin. Throws at once when the request is invalid
     * ({@link dev.vitals.model.ValidationException}), the broker is not connected or no worker is alive
     * for target {@code all} ({@link TaskNotAcceptedException}), or the store cannot be used
     * ({@link dev.vitals.api.store.StoreUnavailableException}; nothing is published then).
     *
     * @param requestJson the request as the caller wrote it, valid JSON ({@code "{}"} for none); stored and
     *                    sent as the task's payload as it is
     * @param wait        how long to wait for the task to end; zero answers once the broker confirmed it
     * @return completes with the task once it ended, or as it is when the broker confirmed it (zero
     *         {@code wait}) or when the wait is over; fails with {@link TaskNotAcceptedException} when the
     *         broker refused it or did not confirm in time, after the stored task was deleted again
     */
    public CompletableFuture<StoredTask> submit(TaskRequest request, String requestJson, Duration wait) {
        return submit(request, requestJson, wait, Submission.onDemand());
    }

    /**
     * As {@link #submit(TaskRequest, String, Duration)}, for a task whose id was chosen beforehand (an
     * {@code Idempotency-Key} names it before the task exists).
     *
     * @param taskId   the new task's id
     * @param accepted told of the task once the broker confirmed it, on a blocking thread, before the answer
     *                 completes; must not throw
     */
    public CompletableFuture<StoredTask> submit(TaskRequest request, String requestJson, Duration wait, UUID taskId,
                                                Consumer<StoredTask> accepted) {
        return submit(request, requestJson, wait, new Submission(taskId, null, false, accepted));
    }

    /**
     * Sends a canary ({@link StoredTask#canary()}): a task as {@link #submit(TaskRequest, String, Duration)} sends
     * it, marked so that it is left out of listings, history, the event stream, alerts and the task metrics.
     */
    public CompletableFuture<StoredTask> submitCanary(TaskRequest request, String requestJson, Duration wait) {
        return submit(request, requestJson, wait, new Submission(UUID.randomUUID(), null, true, null));
    }

    private CompletableFuture<StoredTask> submit(TaskRequest request, String requestJson, Duration wait,
                                                 Submission submission) {
        request.validate();
        requireQueueReady();
        Target target = request.targetOrAny();
        return submit(request, requestJson, wait, target, expectedWorkers(target), submission);
    }

    /**
     * What a task is besides its request.
     *
     * @param schedule the schedule whose run made it, if one did
     * @param accepted told of the task once the broker confirmed it, if anything is
     */
    private record Submission(UUID taskId, @Nullable String schedule, boolean canary,
                              @Nullable Consumer<StoredTask> accepted) {
        static Submission onDemand() {
            return new Submission(UUID.randomUUID(), null, false, null);
        }
    }

    /**
     * Accepts a task for a run of the named schedule, as {@link #submit} does with no wait, the task carrying
     * the schedule's name. A target that cannot be served now ({@code all} with no live worker, a worker that is
     * unknown or not alive) does not refuse it: the task is stored {@code failed} at once with the reason, so
     * that the run is on record as one that could not be carried out.
     *
     * @throws TaskNotAcceptedException when the broker is not connected (nothing is stored)
     * @return as {@link #submit}; already complete with the failed task when the target could not be served
     */
    public CompletableFuture<StoredTask> submitScheduled(TaskRequest request, String requestJson, String schedule) {
        request.validate();
        requireQueueReady();
        Target target = request.targetOrAny();
        List<String> expected;
        try {
            expected = expectedWorkers(target);
        } catch (WorkerUnavailableException | TaskNotAcceptedException e) {
            String reason = e.getMessage().replace("; retry shortly", "");
            return CompletableFuture.completedFuture(storeFailed(request, requestJson, target, schedule, reason));
        }
        return submit(request, requestJson, Duration.ZERO, target, expected,
                new Submission(UUID.randomUUID(), schedule, false, null));
    }

    /** Whether a task can be accepted now, as far as the broker goes. */
    public boolean isAccepting() {
        return queue.isReady();
    }

    private void requireQueueReady() {
        if (!queue.isReady()) {
            throw new TaskNotAcceptedException("not connected to the message broker; retry shortly");
        }
    }

    /**
     * The workers a task for {@code target} waits for: those alive now for {@code all}, none otherwise.
     *
     * @throws TaskNotAcceptedException   for {@code all} with no live worker
     * @throws WorkerUnavailableException for a worker that is unknown or not alive
     */
    private List<String> expectedWorkers(Target target) {
        if (target.isAll()) {
            List<String> expected = workers.aliveWorkerIds();
            if (expected.isEmpty()) {
                throw new TaskNotAcceptedException("no live worker to run a task for target 'all' (workers are"
                        + " known from their heartbeats, every " + "few seconds); retry shortly");
            }
            return expected;
        }
        if (target.isWorker()) {
            WorkerInfo worker = workers.find(target.value()).orElseThrow(() -> new WorkerUnavailableException(
                    "no worker '" + target.value() + "' is known; GET /api/v1/workers lists them"));
            if (!worker.alive()) {
                throw new WorkerUnavailableException("worker '" + target.value() + "' is not alive (last seen "
                        + worker.lastSeen() + ")");
            }
        }
        return List.of();
    }

    /** Stores a scheduled task that could not be sent to any worker, failed at once with {@code reason}. */
    private StoredTask storeFailed(TaskRequest request, String requestJson, Target target, String schedule,
                                   String reason) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Duration timeout = request.timeoutSeconds() == null
                ? defaultTimeout : Duration.ofSeconds(request.timeoutSeconds());
        StoredTask task = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, target, requestJson, now,
                now.plus(timeout), List.of()).scheduledBy(schedule);
        store.insert(task);
        store.fail(task.taskId(), now, reason);
        observer.ended(task, TaskStatus.FAILED, now);
        return task.endedWithError(TaskStatus.FAILED, now, reason);
    }

    private CompletableFuture<StoredTask> submit(TaskRequest request, String requestJson, Duration wait,
                                                 Target target, List<String> expected, Submission submission) {
        Duration timeout = request.timeoutSeconds() == null
                ? defaultTimeout : Duration.ofSeconds(request.timeoutSeconds());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        StoredTask queued = StoredTask.queued(submission.taskId(), TaskMessage.HEALTH_CHECK, target, requestJson,
                now, now.plus(timeout), expected).tracedAs(Tracing.currentTraceId());
        StoredTask scheduled = submission.schedule() == null ? queued : queued.scheduledBy(submission.schedule());
        StoredTask task = submission.canary() ? scheduled.asCanary() : scheduled;
        store.insert(task);
        CompletableFuture<StoredTask> ended = waiters.awaitStored(task, wait);

        CompletableFuture<Void> published = target.isAll()
                ? publishToEach(task, expected, timeout)
                : queue.publish(task.taskId(), now, requestJson, timeout, target.isWorker() ? target.value() : null);
        CompletableFuture<StoredTask> answer = new CompletableFuture<>();
        // The confirm arrives on the broker client's thread: only light work here, the rest elsewhere.
        published.whenComplete((confirmed, failure) -> {
            try {
                if (failure != null) {
                    ended.cancel(false);
                    runBlocking(() -> answer.completeExceptionally(withdraw(task, failure)), answer);
                    return;
                }
                log.debug("Task {} queued for target {} (timeout {} s)", task.taskId(), target, timeout.toSeconds());
                observer.submitted(task);
                Consumer<StoredTask> accepted = submission.accepted();
                if (accepted == null) {
                    relay(ended, answer);
                } else {
                    runBlocking(() -> {
                        accepted.accept(task);
                        relay(ended, answer);
                    }, answer);
                }
            } catch (RuntimeException e) {
                answer.completeExceptionally(e); // the caller is answered whatever failed here
            }
        });
        return answer;
    }

    /**
     * Completes {@code answer} as {@code ended} completes. Whatever waits on the answer (an HTTP response)
     * runs where it completes: on the thread that ends the wait, or, when the wait has ended already (as
     * a zero wait has), on a blocking thread, never on the caller's (the broker client's).
     */
    private void relay(CompletableFuture<StoredTask> ended, CompletableFuture<StoredTask> answer) {
        AtomicBoolean registering = new AtomicBoolean(true);
        ended.whenComplete((task, failure) -> {
            if (registering.get()) {
                runBlocking(() -> complete(answer, task, failure), answer);
            } else {
                complete(answer, task, failure);
            }
        });
        registering.set(false);
    }

    private static void complete(CompletableFuture<StoredTask> answer, StoredTask task, Throwable failure) {
        if (failure == null) {
            answer.complete(task);
        } else {
            answer.completeExceptionally(failure);
        }
    }

    /** Runs {@code work} on a blocking thread; whatever it throws fails the answer rather than leaving it open. */
    private void runBlocking(Runnable work, CompletableFuture<StoredTask> answer) {
        try {
            blocking.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    answer.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            answer.completeExceptionally(new TaskNotAcceptedException("the API is shutting down; retry shortly", e));
        }
    }

    /**
     * Sends a task for target {@code all} to the queue of every expected worker. A worker whose queue is
     * gone (it died since its last heartbeat) stays expected and is reported missing when the task ends;
     * the task is refused only when no worker's queue took it.
     */
    private CompletableFuture<Void> publishToEach(StoredTask task, List<String> workerIds, Duration timeout) {
        List<CompletableFuture<Boolean>> taken = new ArrayList<>();
        for (String workerId : workerIds) {
            taken.add(queue.publish(task.taskId(), task.createdAt(), task.requestJson(), timeout, workerId)
                    .handle((ok, failure) -> {
                        if (failure != null) {
                            log.warn("Task {} for target all did not reach worker {}: {}", task.taskId(), workerId,
                                    failure.getMessage());
                        }
                        return failure == null;
                    }));
        }
        return CompletableFuture.allOf(taken.toArray(CompletableFuture[]::new)).thenCompose(all -> {
            if (taken.stream().anyMatch(CompletableFuture::join)) {
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.failedFuture(new dev.vitals.broker.PublishRefusedException(
                    "no worker's queue took the task"));
        });
    }

    /** Deletes a task whose message the broker did not take, and says why it was not accepted. */
    private RuntimeException withdraw(StoredTask task, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        MDC.put("task_id", task.taskId().toString());
        try {
            log.warn("The broker did not take task {}: {}; withdrawing it", task.taskId(), cause.getMessage());
            store.delete(task.taskId());
        } catch (RuntimeException e) {
            log.warn("Cannot withdraw task {} ({}); the expiry sweep will end it", task.taskId(), e.getMessage());
        } finally {
            MDC.remove("task_id");
        }
        if (cause instanceof dev.vitals.broker.UnroutableException && !task.target().isAll()) {
            return new WorkerUnavailableException("worker '" + task.target() + "' has no task queue any more (it"
                    + " has gone away)");
        }
        return new TaskNotAcceptedException("the message broker did not take the task: " + cause.getMessage()
                + "; retry shortly", cause);
    }

    /** The task with this id, if there is one. */
    public Optional<StoredTask> find(UUID taskId) {
        return store.find(taskId);
    }

    /** Tasks matching the query, newest first. */
    public List<StoredTask> list(TaskQuery query) {
        return store.list(query);
    }

    /** See {@link TaskWaiters#await}. */
    public CompletableFuture<StoredTask> await(UUID taskId, Duration max) {
        return waiters.await(taskId, max);
    }
}
