package dev.vitals.api.alert;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One message about one alert, as every channel sends it: what happened, to which worker, why, and since
 * when. Its {@link #id} stays the same across retries, so that a receiver can drop a duplicate.
 *
 * @param id        this notification's id
 * @param kind      why it is sent
 * @param alert     the alert it is about, as it was when the notification was made
 * @param createdAt when the notification was made
 */
public record Notification(UUID id, Kind kind, Alert alert, Instant createdAt) {

    public Notification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Why a notification is sent. */
    public enum Kind {
        /** The alert opened. */
        OPENED,
        /** The alert is still open, a repeat interval after the last notification. */
        REMINDER,
        /** The alert resolved. */
        RESOLVED,
        /** The worker's state began or stopped flapping. */
        FLAPPING;

        /** The name in JSON and in the API: {@code opened}, {@code reminder}, {@code resolved}, {@code flapping}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * An alert as a notification tells it.
     *
     * @param id         the alert's id
     * @param workerId   the worker it is about
     * @param hostname   the worker's machine, when known
     * @param check      the check it is about; null for the whole worker
     * @param open       true while the alert is open
     * @param openedAt   when it opened
     * @param resolvedAt when it resolved; null while open
     * @param reason     why, in one line a person on call can act on
     * @param checks     the checks that failed, with their values and thresholds
     * @param lastRuns   the overall statuses of the worker's last runs, oldest first
     *                   ({@code healthy}, {@code warning}, {@code error} or {@code missing})
     * @param taskId     the task of the run that caused the notification, when there was one
     * @param taskLink   where that task can be read, when the API's public address is configured
     * @param dashboard  the worker's page on the dashboard, when the API's public address is configured
     */
    public record Alert(
            long id,
            String workerId,
            @Nullable String hostname,
            @Nullable String check,
            boolean open,
            Instant openedAt,
            @Nullable Instant resolvedAt,
            String reason,
            List<CheckDetail> checks,
            List<String> lastRuns,
            @Nullable UUID taskId,
            @Nullable URI taskLink,
            @Nullable URI dashboard) {

        public Alert {
            Objects.requireNonNull(workerId, "workerId");
            Objects.requireNonNull(openedAt, "openedAt");
            Objects.requireNonNull(reason, "reason");
            checks = List.copyOf(checks);
            lastRuns = List.copyOf(lastRuns);
        }

        /** How long the alert was open; null while it is. */
        public @Nullable Duration duration() {
            return resolvedAt == null ? null : Duration.between(openedAt, resolvedAt);
        }

        /** The worker, with its machine when known: {@code host-a-1 (host-a)}. */
        public String workerName() {
            return hostname == null || hostname.equals(workerId) ? workerId : workerId + " (" + hostname + ")";
        }
    }

    /**
     * One check of a run, as an alert cites it.
     *
     * @param check   the check's name ({@code cpu}, {@code disk}, …)
     * @param status  its status in the run ({@code ok}, {@code warning}, {@code error}, {@code unknown})
     * @param value   what was measured, in the check's unit (percent, load, threads); null when not measured
     * @param warning its warning threshold; null when the report does not say
     * @param error   its error threshold; null when the report does not say
     * @param reason  why it has its status, as the report words it; null for reports of workers older than reasons
     */
    public record CheckDetail(String check, String status, @Nullable Double value, @Nullable Double warning,
                              @Nullable Double error, @Nullable String reason) {

        public CheckDetail {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(status, "status");
        }

        /** A check without the report's reason (reports of workers older than reasons). */
        public CheckDetail(String check, String status, @Nullable Double value, @Nullable Double warning,
                           @Nullable Double error) {
            this(check, status, value, warning, error, null);
        }
    }
}
