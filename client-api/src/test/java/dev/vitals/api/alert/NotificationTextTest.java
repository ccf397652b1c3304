package dev.vitals.api.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NotificationTextTest {

    @Test
    void anOpenedAlertSaysWhichWorkerWhyAndWhereToLook() {
        Notification opened = Notifications.opened();

        assertThat(NotificationText.headline(opened))
                .isEqualTo("ALERT host-a-1 (host-a): disk error in 3 consecutive runs: 97.1 % used, error at 95");
        assertThat(NotificationText.details(opened)).containsExactly(
                "Worker: host-a-1 (host-a)",
                "Open since: 2026-12-03T10:15:00Z",
                "disk: error, 97.1 (warning at 90, error at 95)",
                "Last runs (oldest first): error, error, error",
                "Task: http://vitals.example:8080/api/v1/health-checks/11111111-2222-3333-4444-555555555555");
    }

    @Test
    void aCheckWithTheReportsReasonIsCitedByIt() {
        Notification.CheckDetail disk = new Notification.CheckDetail("disk", "error", 97.1, 90.0, 95.0,
                "disk / is 97.1 % full (4.6 GB free of 160 GB), above the error threshold 95 %");

        assertThat(NotificationText.check(disk))
                .isEqualTo("disk: error, disk / is 97.1 % full (4.6 GB free of 160 GB), above the error threshold 95 %");
    }

    @Test
    void aResolvedAlertSaysHowLongItLasted() {
        Notification resolved = Notifications.diskFull(Notification.Kind.RESOLVED,
                Notifications.OPENED_AT.plus(Duration.ofMinutes(12).plusSeconds(30)));

        assertThat(NotificationText.headline(resolved)).startsWith("RESOLVED host-a-1 (host-a) after 12m30s: ");
        assertThat(NotificationText.details(resolved))
                .contains("Resolved at: 2026-12-03T10:27:30Z (open 12m30s)");
    }

    @Test
    void durationsReadAsPeopleSayThem() {
        assertThat(NotificationText.duration(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(NotificationText.duration(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(NotificationText.duration(Duration.ofMinutes(125))).isEqualTo("2h5m");
        assertThat(NotificationText.duration(Duration.ofHours(76))).isEqualTo("3d4h");
        assertThat(NotificationText.duration(null)).isEqualTo("?");
    }
}
