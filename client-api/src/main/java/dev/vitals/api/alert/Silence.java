package dev.vitals.api.alert;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A time during which matching alerts send nothing: they still open, resolve and are kept.
 *
 * @param workerId null: every worker
 * @param check    null: every check, and alerts about a whole worker; else only alerts about this check
 */
public record Silence(UUID id, @Nullable String workerId, @Nullable String check, Instant startsAt, Instant endsAt,
                      String reason, Instant createdAt) {

    public Silence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** True when this silence covers an alert about {@code workerId} ({@code check} null: the whole worker) at {@code at}. */
    public boolean covers(String alertWorkerId, @Nullable String alertCheck, Instant at) {
        return !at.isBefore(startsAt) && at.isBefore(endsAt)
                && (workerId == null || workerId.equals(alertWorkerId))
                && (check == null || check.equals(alertCheck));
    }

    /** True while in force at {@code at}. */
    public boolean activeAt(Instant at) {
        return !at.isBefore(startsAt) && at.isBefore(endsAt);
    }
}
