package dev.vitals.api.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TaskStore} that keeps the ended tasks it reads, and those it completes for a worker, in
 * memory, so that reading one again by id needs no query. An ended task never changes again; only
 * deletion removes it, and this replica's deletions (retention, withdrawal) drop it from memory too.
 * Every replica may keep its own copies: a task another replica deleted by retention may still be served
 * from here until it is evicted.
 */
public final class EndedTaskCache extends ForwardingTaskStore {

    private final Cache<UUID, StoredTask> ended;

    /** @param maxTasks most ended tasks kept; the least recently used go first */
    public EndedTaskCache(TaskStore store, int maxTasks) {
        super(store);
        if (maxTasks < 1) {
            throw new IllegalArgumentException("maxTasks must be at least 1, got " + maxTasks);
        }
        // Upkeep (eviction) on the calling thread: a few microseconds, where a hand-off to another thread
        // for every task stored would cost more than the work.
        this.ended = Caffeine.newBuilder().maximumSize(maxTasks).executor(Runnable::run).build();
    }

    @Override
    public Optional<StoredTask> find(UUID taskId) {
        StoredTask cached = ended.getIfPresent(taskId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<StoredTask> found = super.find(taskId);
        found.filter(task -> task.status().isTerminal()).ifPresent(task -> ended.put(taskId, task));
        return found;
    }

    @Override
    public Optional<StoredTask> completeByWorker(UUID taskId, String workerId, @Nullable Instant startedAt,
                                                 Instant completedAt, String reportJson) {
        Optional<StoredTask> completed = super.completeByWorker(taskId, workerId, startedAt, completedAt, reportJson);
        completed.ifPresent(task -> ended.put(taskId, task));
        return completed;
    }

    @Override
    public int deleteCompletedBefore(Instant cutoff) {
        int deleted = super.deleteCompletedBefore(cutoff);
        ended.asMap().values().removeIf(task -> task.createdAt().isBefore(cutoff));
        return deleted;
    }

    @Override
    public boolean delete(UUID taskId) {
        ended.invalidate(taskId);
        boolean deleted = super.delete(taskId);
        // Again once it is gone: a completion of this task may have cached it while the delete waited.
        ended.invalidate(taskId);
        return deleted;
    }
}
