package dev.vitals.api.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A {@link TaskStore} that passes every call to another one; subclasses override what they add to. */
public abstract class ForwardingTaskStore implements TaskStore {

    private final TaskStore store;

    protected ForwardingTaskStore(TaskStore store) {
        this.store = store;
    }

    @Override
    public Optional<StoredTask> find(UUID taskId) {
        return store.find(taskId);
    }

    @Override
    public int deleteCompletedBefore(Instant cutoff) {
        return store.deleteCompletedBefore(cutoff);
    }

    @Override
    public boolean delete(UUID taskId) {
        return store.delete(taskId);
    }

    @Override
    public void insert(StoredTask task) {
        store.insert(task);
    }

    @Override
    public boolean insertReported(StoredTask task) {
        return store.insertReported(task);
    }

    @Override
    public List<StoredTask> list(TaskQuery query) {
        return store.list(query);
    }

    @Override
    public boolean markRunning(UUID taskId, String workerId, Instant startedAt) {
        return store.markRunning(taskId, workerId, startedAt);
    }

    @Override
    public boolean recordLateStart(UUID taskId, Instant startedAt) {
        return store.recordLateStart(taskId, startedAt);
    }

    @Override
    public boolean addReport(UUID taskId, String workerId, Instant receivedAt, String reportJson) {
        return store.addReport(taskId, workerId, receivedAt, reportJson);
    }

    @Override
    public List<String> reports(UUID taskId) {
        return store.reports(taskId);
    }

    @Override
    public boolean complete(UUID taskId, @Nullable String workerId, @Nullable Instant startedAt, Instant completedAt,
                            String resultJson) {
        return store.complete(taskId, workerId, startedAt, completedAt, resultJson);
    }

    @Override
    public Optional<StoredTask> completeByWorker(UUID taskId, String workerId, @Nullable Instant startedAt,
                                                 Instant completedAt, String reportJson) {
        return store.completeByWorker(taskId, workerId, startedAt, completedAt, reportJson);
    }

    @Override
    public boolean fail(UUID taskId, Instant at, String reason) {
        return store.fail(taskId, at, reason);
    }

    @Override
    public boolean expire(UUID taskId, Instant at, String reason) {
        return store.expire(taskId, at, reason);
    }

    @Override
    public List<UUID> expireOverdue(Instant now, String reason, int max) {
        return store.expireOverdue(now, reason, max);
    }

    @Override
    public List<StoredTask> overdueForAll(Instant now, int max) {
        return store.overdueForAll(now, max);
    }

    @Override
    public void ping() {
        store.ping();
    }
}
