package dev.vitals.api.alert;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Notifications as tests need them. */
public final class Notifications {

    public static final Instant OPENED_AT = Instant.parse("2026-12-03T10:15:00Z");

    private Notifications() {
    }

    /** An alert about host-a-1's full disk, opened at {@link #OPENED_AT}. */
    public static Notification diskFull(Notification.Kind kind, Instant resolvedAt) {
        Notification.Alert alert = new Notification.Alert(7, "host-a-1", "host-a", null, resolvedAt == null,
                OPENED_AT, resolvedAt, "disk error in 3 consecutive runs: 97.1 % used, error at 95",
                List.of(new Notification.CheckDetail("disk", "error", 97.1, 90.0, 95.0)),
                List.of("error", "error", "error"), UUID.fromString("11111111-2222-3333-4444-555555555555"),
                URI.create("http://vitals.example:8080/api/v1/health-checks/11111111-2222-3333-4444-555555555555"),
                null);
        return new Notification(UUID.fromString("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"), kind, alert,
                resolvedAt == null ? OPENED_AT.plusSeconds(1) : resolvedAt);
    }

    public static Notification opened() {
        return diskFull(Notification.Kind.OPENED, null);
    }
}
