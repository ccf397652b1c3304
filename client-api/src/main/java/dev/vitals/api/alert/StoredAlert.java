package dev.vitals.api.alert;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An alert as the store keeps it, with its notifications when read for the API.
 *
 * @param check          the one check that caused it; null when several did or the whole worker is concerned
 * @param lastNotifiedAt when its last opened or reminder notification was made; null while none was
 * @param notifications  oldest first; empty when not read
 */
public record StoredAlert(long id, String workerId, @Nullable String check, Cause cause, boolean open,
                          Instant openedAt, @Nullable Instant resolvedAt, String reason, Details details,
                          @Nullable Instant lastNotifiedAt, List<Sent> notifications) {

    public StoredAlert {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(details, "details");
        notifications = List.copyOf(notifications);
    }

    /** What opened an alert. */
    public enum Cause {
        /** The worker's state became unhealthy (consecutive failed runs). */
        UNHEALTHY,
        /** The worker stopped sending heartbeats without saying goodbye. */
        NOT_ALIVE,
        /** The worker's state changes too often to be trusted; open while it does. */
        FLAPPING;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Cause of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * What the notifications of an alert cite.
     *
     * @param hostname the worker's machine, when known
     * @param checks   the checks that failed, with values and thresholds
     * @param lastRuns the overall statuses of the last runs, oldest first
     * @param taskId   the task of the run that opened it
     */
    public record Details(@Nullable String hostname, List<Notification.CheckDetail> checks, List<String> lastRuns,
                          @Nullable UUID taskId) {

        public static final Details NONE = new Details(null, List.of(), List.of(), null);

        public Details {
            checks = checks == null ? List.of() : List.copyOf(checks);
            lastRuns = lastRuns == null ? List.of() : List.copyOf(lastRuns);
        }
    }

    /** One notification of an alert, as {@code GET /api/v1/alerts} shows it. */
    public record Sent(UUID id, String channel, String kind, String status, int attempts, Instant createdAt,
                       @Nullable Instant sentAt, @Nullable String error) {
    }
}
