package dev.vitals.api.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.model.CheckName;
import dev.vitals.model.Threshold;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final Instant DUE = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    @Test
    void theNextRunIsOneIntervalAfterTheClaimedOneHoweverLateItStarted() {
        assertThat(Schedule.nextRun(DUE, INTERVAL, DUE.plusMillis(20))).isEqualTo(DUE.plusSeconds(30));
        assertThat(Schedule.nextRun(DUE, INTERVAL, DUE.plusSeconds(29))).isEqualTo(DUE.plusSeconds(30));
    }

    @Test
    void aRunMoreThanAnIntervalLateSchedulesTheNextFromNowSoMissedRunsAreNotMadeUp() {
        Instant now = DUE.plusSeconds(95);

        assertThat(Schedule.nextRun(DUE, INTERVAL, now)).isEqualTo(now.plus(INTERVAL));
    }

    @Test
    void aRunExactlyOneIntervalLateSchedulesTheNextFromNow() {
        Instant now = DUE.plus(INTERVAL);

        assertThat(Schedule.nextRun(DUE, INTERVAL, now)).isEqualTo(now.plus(INTERVAL));
    }

    @Test
    void namesAreLowercaseLettersDigitsAndSomePunctuationUpTo64Long() {
        assertThat(Schedule.isName("fleet")).isTrue();
        assertThat(Schedule.isName("0-disk_checks.eu")).isTrue();
        assertThat(Schedule.isName("a".repeat(64))).isTrue();
        assertThat(Schedule.isName("a".repeat(65))).isFalse();
        assertThat(Schedule.isName("Fleet")).isFalse();
        assertThat(Schedule.isName("-fleet")).isFalse();
        assertThat(Schedule.isName("fleet one")).isFalse();
        assertThat(Schedule.isName("")).isFalse();
    }

    @Test
    void theTaskPayloadHoldsTheTargetAndOnlyTheChecksAndThresholdsSet() {
        ObjectMapper mapper = VitalsJson.newMapper();
        Schedule everything = new Schedule("fleet", new TaskRequest(Target.ALL, null, null, null), INTERVAL, true);
        Schedule disks = new Schedule("disks", new TaskRequest(Target.ANY, List.of(CheckName.DISK),
                Map.of(CheckName.DISK, new Threshold(70, 85)), null), INTERVAL, true);

        assertThat(everything.taskRequestJson(mapper)).isEqualTo("{\"target\":\"all\"}");
        assertThat(disks.taskRequestJson(mapper)).isEqualTo("{\"target\":\"any\",\"checks\":[\"disk\"],"
                + "\"thresholds\":{\"disk\":{\"warning\":70.0,\"error\":85.0}}}");
    }
}
