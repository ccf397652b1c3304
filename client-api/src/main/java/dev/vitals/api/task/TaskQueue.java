package dev.vitals.api.task;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Where accepted tasks go for workers to take them. The broker's task queues implement it
 * ({@link dev.vitals.api.messaging.TaskPublisher}); {@link TaskService} needs no more of the broker than this.
 */
public interface TaskQueue {

    /** True when a publish can be tried now. */
    boolean isReady();

    /**
     * Hands one task to the workers: to whichever takes it first, or to one worker.
     *
     * @param requestJson the request as the caller gave it (valid JSON)
     * @param timeout     how long the task may wait for a worker before it expires
     * @param workerId    the only worker that may take it, or null for any worker
     * @return completes once the queue holds the task safely; fails with
     *         {@link dev.vitals.broker.PublishRefusedException} when it was not taken, and with
     *         {@link dev.vitals.broker.UnroutableException} when the worker has no queue (any more)
     */
    CompletableFuture<Void> publish(UUID taskId, Instant createdAt, String requestJson, Duration timeout,
                                    @Nullable String workerId);
}
