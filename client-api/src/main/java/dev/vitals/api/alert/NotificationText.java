package dev.vitals.api.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A notification in words, for people: a headline (an e-mail's subject, a chat message's first line) and
 * the lines that say why, since when, and where to look. Every channel but the webhook sends this text.
 */
public final class NotificationText {

    private NotificationText() {
    }

    /** One line: what happened to which worker, and why. */
    public static String headline(Notification notification) {
        Notification.Alert alert = notification.alert();
        String subject = alert.workerName() + (alert.check() == null ? "" : " " + alert.check());
        return switch (notification.kind()) {
            case OPENED -> "ALERT " + subject + ": " + alert.reason();
            case REMINDER -> "STILL OPEN " + subject + " (for "
                    + duration(Duration.between(alert.openedAt(), notification.createdAt())) + "): " + alert.reason();
            case RESOLVED -> "RESOLVED " + subject + " after " + duration(alert.duration()) + ": " + alert.reason();
            case FLAPPING -> "FLAPPING " + subject + ": " + alert.reason();
        };
    }

    /** The lines after the headline. */
    public static List<String> details(Notification notification) {
        Notification.Alert alert = notification.alert();
        List<String> lines = new ArrayList<>();
        lines.add("Worker: " + alert.workerName());
        if (alert.check() != null) {
            lines.add("Check: " + alert.check());
        }
        lines.add("Open since: " + time(alert.openedAt()));
        if (alert.resolvedAt() != null) {
            lines.add("Resolved at: " + time(alert.resolvedAt()) + " (open " + duration(alert.duration()) + ")");
        }
        for (Notification.CheckDetail check : alert.checks()) {
            lines.add(check(check));
        }
        if (!alert.lastRuns().isEmpty()) {
            lines.add("Last runs (oldest first): " + String.join(", ", alert.lastRuns()));
        }
        if (alert.taskLink() != null) {
            lines.add("Task: " + alert.taskLink());
        } else if (alert.taskId() != null) {
            lines.add("Task: " + alert.taskId());
        }
        if (alert.dashboard() != null) {
            lines.add("Dashboard: " + alert.dashboard());
        }
        return lines;
    }

    /** The headline, a blank line, then the details: an e-mail's body, a chat message. */
    public static String plain(Notification notification) {
        return headline(notification) + "\n\n" + String.join("\n", details(notification));
    }

    /**
     * {@code disk: error, disk / is 97.1 % full (4.6 GB free of 160 GB), above the error threshold 95 %}: the
     * report's reason; for a report without one, {@code disk: error, 97.1 (warning at 90, error at 95)}.
     */
    static String check(Notification.CheckDetail check) {
        StringBuilder line = new StringBuilder(check.check()).append(": ").append(check.status());
        if (check.reason() != null) {
            return line.append(", ").append(check.reason()).toString();
        }
        if (check.value() != null) {
            line.append(", ").append(number(check.value()));
        }
        if (check.warning() != null || check.error() != null) {
            line.append(" (warning at ").append(number(check.warning())).append(", error at ")
                    .append(number(check.error())).append(')');
        }
        return line.toString();
    }

    /** {@code 12m30s}, {@code 2h5m}, {@code 3d4h}; seconds below a minute. */
    static String duration(@Nullable Duration duration) {
        if (duration == null) {
            return "?";
        }
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h" + (seconds % 3600 / 60 == 0 ? "" : seconds % 3600 / 60 + "m");
        }
        return seconds / 86_400 + "d" + (seconds % 86_400 / 3600 == 0 ? "" : seconds % 86_400 / 3600 + "h");
    }

    /** {@code 95}, {@code 97.1}; {@code ?} when not known. */
    static String number(@Nullable Double value) {
        if (value == null) {
            return "?";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString(value.longValue()) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String time(@Nullable Instant at) {
        return at == null ? "?" : at.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
