package dev.vitals.api.idempotency;

import java.time.Instant;
import java.util.Optional;

/**
 * Where idempotency keys are kept, shared by every API replica. A key is held by one row per scope and key: of
 * callers that take the same key at once, exactly one takes it. Every change is conditional on the row being as the
 * caller read it. Throws {@link dev.vitals.api.store.StoreUnavailableException} when the database cannot be used.
 */
public interface IdempotencyStore {

    /**
     * Takes a key that is not held yet.
     *
     * @param key a key that is not {@link StoredKey#accepted() accepted}
     * @return empty when this call took it; else the key as it is held
     */
    Optional<StoredKey> take(StoredKey key);

    /**
     * Replaces a held key (expired, or left pending by a replica that died, or whose task is gone) with a new one,
     * if it is still as {@code held} was read.
     *
     * @return whether it was replaced
     */
    boolean replace(StoredKey held, StoredKey replacement);

    /**
     * Records that the broker confirmed the key's task.
     *
     * @return whether the key was pending for that task
     */
    boolean accept(StoredKey key);

    /**
     * Gives up a pending key whose task was not accepted, so that a retry makes the task.
     *
     * @return whether the key was pending for that task and is gone
     */
    boolean release(StoredKey key);

    /**
     * Deletes up to {@code max} keys that expired at or before {@code now}.
     *
     * @return how many were deleted; call again while a full batch comes back
     */
    int deleteExpired(Instant now, int max);
}
