package dev.vitals.api.idempotency;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * An idempotency key as the store keeps it.
 *
 * @param key         the key and its scope
 * @param fingerprint the SHA-256 digest (hex) of the request body the key was first used with
 * @param taskId      the task the key stands for; chosen before the task is stored
 * @param accepted    whether the broker confirmed that task; false while its first request is being handled
 * @param createdAt   when the key was taken
 * @param expiresAt   when it stops standing for its task
 */
public record StoredKey(IdempotencyKey key, String fingerprint, UUID taskId, boolean accepted, Instant createdAt,
                        Instant expiresAt) {

    public StoredKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
