package dev.vitals.api.idempotency;

import dev.vitals.api.store.StoredTask;
import dev.vitals.api.store.TaskStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key} on task submissions (the IETF httpapi draft "The Idempotency-Key HTTP Header Field"): the
 * first request with a key takes it, naming the id its task will have, and makes the task; a later request with the
 * same key (same scope) and the same body gets that task back, across every replica, for the key's time to live.
 *
 * <ul>
 *   <li>Same key, another body: {@link IdempotencyKeyReusedException} (422).</li>
 *   <li>Same key while the first request is still being stored and published: {@link RequestInProgressException}
 *       (409, retry shortly), as the draft says; the second request does not wait. A key that stays pending longer
 *       than the {@code pendingLease} was left by a replica that died: its task is answered when it was stored,
 *       else the key is taken over.</li>
 *   <li>A first request that is refused (broker away, queue full, bad target) releases the key: a retry makes the
 *       task.</li>
 *   <li>An expired key, or one whose task was deleted (retention), is taken again as a new one.</li>
 * </ul>
 */
public final class IdempotentSubmissions implements AutoCloseable {

    /** How often expired keys are deleted. */
    static final Duration PURGE_INTERVAL = Duration.ofMinutes(5);
    private static final int PURGE_BATCH = 1000;
    /** Tries to take a key that others keep changing before the caller is told to retry. */
    private static final int ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(IdempotentSubmissions.class);

    private final IdempotencyStore keys;
    private final TaskStore tasks;
    private final Clock clock;
    private final Duration ttl;
    private final Duration pendingLease;
    private @Nullable ScheduledFuture<?> purge;

    /**
     * @param ttl          how long a key stands for its task
     * @param pendingLease how long a key may stay pending before it counts as left by a replica that died: longer
     *                     than storing and publishing a task may take
     */
    public IdempotentSubmissions(IdempotencyStore keys, TaskStore tasks, Clock clock, Duration ttl,
                                 Duration pendingLease) {
        this.keys = keys;
        this.tasks = tasks;
        this.clock = clock;
        this.ttl = ttl;
        this.pendingLease = pendingLease;
    }

    /** How a request with a key goes on. */
    public sealed interface Outcome {
    }

    /** The key is this request's: make the task with this key's task id, then {@link #accepted} or {@link #failed}. */
    public record Taken(StoredKey key) implements Outcome {
        public UUID taskId() {
            return key.taskId();
        }
    }

    /** The key's task exists: answer it. */
    public record Replay(StoredTask task) implements Outcome {
    }

    /**
     * Takes the key for a request with this body, or finds what it stands for.
     *
     * @param body the request body as the task keeps it
     * @throws IdempotencyKeyReusedException when the key was used with another body
     * @throws RequestInProgressException    when the key's first request is still being handled
     */
    public Outcome begin(IdempotencyKey key, String body) {
        String fingerprint = fingerprint(body);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            StoredKey mine = new StoredKey(key, fingerprint, UUID.randomUUID(), false, now, now.plus(ttl));
            Optional<StoredKey> taken = keys.take(mine);
            if (taken.isEmpty()) {
                return new Taken(mine);
            }
            StoredKey held = taken.get();
            if (!held.expiresAt().isAfter(now)) {
                if (keys.replace(held, mine)) {
                    return new Taken(mine);
                }
                continue;
            }
            if (!held.fingerprint().equals(fingerprint)) {
                throw new IdempotencyKeyReusedException("this Idempotency-Key was used with another request body"
                        + " (for task " + held.taskId() + "); use a new key for a new request");
            }
            boolean stale = !held.accepted() && !held.createdAt().plus(pendingLease).isAfter(now);
            if (!held.accepted() && !stale) {
                throw new RequestInProgressException("a request with this Idempotency-Key is still in progress;"
                        + " retry shortly to get its task");
            }
            Optional<StoredTask> task = tasks.find(held.taskId());
            if (task.isPresent()) {
                return new Replay(task.get());
            }
            // Its task is gone (deleted by the retention), or was never stored by a replica that died: the key stands
            // for nothing any more.
            if (keys.replace(held, mine)) {
                return new Taken(mine);
            }
        }
        throw new RequestInProgressException("requests with this Idempotency-Key keep changing it; retry shortly");
    }

    /** The broker confirmed the task of a key this replica took. Never throws: the task is accepted whatever. */
    public void accepted(Taken taken) {
        try {
            keys.accept(taken.key());
        } catch (RuntimeException e) {
            log.warn("Task {} was accepted but its Idempotency-Key could not be marked so ({}); a retry gets 409 for"
                    + " {} s, then the task", taken.taskId(), e.getMessage(), pendingLease.toSeconds());
        }
    }

    /** The task of a key this replica took was not accepted: the key is given up, so that a retry makes it. */
    public void failed(Taken taken) {
        try {
            keys.release(taken.key());
        } catch (RuntimeException e) {
            log.warn("The Idempotency-Key of refused task {} could not be released ({}); a retry gets 409 for {} s",
                    taken.taskId(), e.getMessage(), pendingLease.toSeconds());
        }
    }

    /** Deletes expired keys every {@link #PURGE_INTERVAL} from now on. */
    public synchronized void start(ScheduledExecutorService timer, java.util.concurrent.Executor blocking) {
        purge = timer.scheduleWithFixedDelay(() -> blocking.execute(this::purgeAndLogFailures),
                PURGE_INTERVAL.toMillis(), PURGE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Deletes the keys expired by now, in batches; answers how many. */
    public int purge() {
        Instant now = clock.instant();
        int deleted = 0;
        int batch;
        do {
            batch = keys.deleteExpired(now, PURGE_BATCH);
            deleted += batch;
        } while (batch == PURGE_BATCH);
        return deleted;
    }

    private void purgeAndLogFailures() {
        try {
            int deleted = purge();
            if (deleted > 0) {
                log.info("Deleted {} expired Idempotency-Key(s)", deleted);
            }
        } catch (RuntimeException e) {
            log.warn("Cannot delete expired Idempotency-Keys; next try in {}: {}", PURGE_INTERVAL, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (purge != null) {
            purge.cancel(false);
        }
    }

    /** SHA-256 of the body's UTF-8 bytes, in hex. */
    static String fingerprint(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
