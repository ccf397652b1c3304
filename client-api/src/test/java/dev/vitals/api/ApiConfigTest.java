package dev.vitals.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.vitals.api.schedule.Schedule;
import dev.vitals.api.store.Database;
import dev.vitals.model.CheckName;
import dev.vitals.model.task.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiConfigTest {

    private static ApiConfig read(Map<String, Object> overrides) {
        Config config = ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.defaultReference()).resolve();
        return ApiConfig.from(config);
    }

    @Test
    void referenceDefaultsMatchTheContract() {
        ApiConfig config = read(Map.of("vitals.api.port", 8080, "vitals.api.tokens", "",
                "vitals.api.store.url", Database.DEFAULT_URL));

        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.tokens()).isEmpty();
        assertThat(config.eventsQueue()).isEqualTo("vitals.api.events");
        assertThat(config.eventsQueueType()).isEqualTo("classic");
        assertThat(config.deadLettersQueue()).isEqualTo("vitals.api.dead-letters");
        assertThat(config.store().url()).isEqualTo(Database.DEFAULT_URL);
        assertThat(config.tasks().retention()).isEqualTo(Duration.ofDays(7));
        assertThat(config.tasks().maxWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.maxBodyBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void tokensAreSplitOnCommasAndTrimmed() {
        ApiConfig config = read(Map.of("vitals.api.tokens", " first-token ,second,, "));

        assertThat(config.tokens()).containsExactly("first-token", "second");
    }

    @Test
    void toStringShowsNeitherTokensNorStorePassword() {
        ApiConfig config = read(Map.of("vitals.api.tokens", "s3cret-token",
                "vitals.api.store.url", "jdbc:postgresql://db/vitals?user=u&password=hunter2"));

        assertThat(config.toString()).doesNotContain("s3cret-token").doesNotContain("hunter2");
    }

    @Test
    void refusesAPortOutOfRangeNamingKeyAndValue() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.port", 70000)))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("vitals.api.port")
                .hasMessageContaining("between 0 and 65535")
                .hasMessageContaining("70000");
    }

    @Test
    void refusesAStoreUrlOfAnotherDatabase() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.store.url", "jdbc:mysql://db/vitals")))
                .hasMessageContaining("vitals.api.store.url")
                .hasMessageContaining("jdbc:mysql://db/vitals");
    }

    @Test
    void refusesADefaultTimeoutOutsideOneToThreeThousandSixHundredSeconds() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.tasks.default-timeout", "2h")))
                .hasMessageContaining("vitals.api.tasks.default-timeout")
                .hasMessageContaining("between 1s and 3600s");
    }

    @Test
    void refusesAMaxWaitOverThirtySeconds() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.tasks.max-wait", "31s")))
                .hasMessageContaining("vitals.api.tasks.max-wait");
    }

    @Test
    void refusesATinyMaxBody() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.http.max-body", "10B")))
                .hasMessageContaining("vitals.api.http.max-body")
                .hasMessageContaining("got 10");
    }

    @Test
    void refusesATokenWithSpaces() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.tokens", "one token")))
                .hasMessageContaining("vitals.api.tokens")
                .hasMessageNotContaining("one token");
    }

    @Test
    void refusesAReservedQueueName() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.events-queue", "amq.events")))
                .hasMessageContaining("vitals.api.events-queue")
                .hasMessageContaining("amq.");
    }

    @Test
    void historyAndStateDefaultsAreTheSpecifications() {
        ApiConfig config = read(Map.of());

        assertThat(config.history().rawRetention()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(config.history().bucketRetention()).isEqualTo(java.time.Duration.ofDays(400));
        assertThat(config.history().maxPoints()).isEqualTo(10_000);
        assertThat(config.state()).isEqualTo(ApiConfig.State.DEFAULTS);
    }

    @Test
    void refusesBucketsKeptShorterThanRawRuns() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.history.raw-retention", "30d",
                "vitals.api.history.bucket-retention", "10d")))
                .hasMessageContaining("vitals.api.history.bucket-retention")
                .hasMessageContaining("raw-retention");
    }

    @Test
    void refusesUnhealthyBeforeDegraded() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.state.degraded-after", 3,
                "vitals.api.state.unhealthy-after", 2)))
                .hasMessageContaining("vitals.api.state.unhealthy-after");
    }

    @Test
    void refusesAFlappingShareOutsideZeroToOneOrAnEndAboveTheStart() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.state.flapping-start", 1.5)))
                .hasMessageContaining("vitals.api.state.flapping-start");
        assertThatThrownBy(() -> read(Map.of("vitals.api.state.flapping-end", 0.4)))
                .hasMessageContaining("vitals.api.state.flapping-end");
    }

    @Test
    void theCanaryRunsEveryThirtySecondsWithATenSecondTimeoutAndIsNotRequiredForReadiness() {
        ApiConfig config = read(Map.of());

        assertThat(config.canary()).isEqualTo(new ApiConfig.Canary(Duration.ofSeconds(30), Duration.ofSeconds(10), false));
        assertThat(config.canary().enabled()).isTrue();
        assertThat(config.idempotency().ttl()).isEqualTo(Duration.ofHours(24));
        assertThat(read(Map.of("vitals.api.canary.interval", "0")).canary().enabled()).isFalse();
    }

    @Test
    void refusesACanaryIntervalUnderAHundredMillisecondsOtherThanZero() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.canary.interval", "50ms")))
                .hasMessageContaining("vitals.api.canary.interval").hasMessageContaining("0 (no canary)");
        assertThatThrownBy(() -> read(Map.of("vitals.api.canary.timeout", "10m")))
                .hasMessageContaining("vitals.api.canary.timeout");
    }

    @Test
    void refusesAnIdempotencyTtlUnderAMinute() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.idempotency.ttl", "10s")))
                .hasMessageContaining("vitals.api.idempotency.ttl");
    }

    @Test
    void refusesABadSweepInterval() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.tasks.sweep-interval", "10ms")))
                .hasMessageContaining("vitals.api.tasks.sweep-interval");
    }

    @Test
    void noScheduleIsDeclaredByDefaultAndTheShortestIntervalIsFiveSeconds() {
        ApiConfig config = read(Map.of("vitals.api.schedules", List.of()));

        assertThat(config.schedules().declared()).isEmpty();
        assertThat(config.schedules().minInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.schedules().pollInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void declaredSchedulesAreReadFromAList() {
        ApiConfig config = read(Map.of("vitals.api.schedules", List.of(
                Map.of("name", "fleet", "target", "all", "interval_seconds", 30),
                Map.of("name", "disks", "checks", List.of("disk"), "interval_seconds", 300, "enabled", false))));

        assertThat(config.schedules().declared()).extracting(Schedule::name).containsExactly("fleet", "disks");
        Schedule disks = config.schedules().declared().get(1);
        assertThat(disks.request().checks()).containsExactly(CheckName.DISK);
        assertThat(disks.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(disks.enabled()).isFalse();
    }

    @Test
    void declaredSchedulesAreReadFromAStringOfHoconOrJsonAsAnEnvironmentVariableGivesThem() {
        ApiConfig hocon = read(Map.of("vitals.api.schedules", "[{name: fleet, target: all, interval_seconds: 30}]"));
        ApiConfig json = read(Map.of("vitals.api.schedules",
                "[{\"name\": \"fleet\", \"target\": \"all\", \"interval_seconds\": 30}]"));

        assertThat(hocon.schedules().declared()).isEqualTo(json.schedules().declared()).hasSize(1);
        assertThat(hocon.schedules().declared().getFirst().request().target()).isEqualTo(Target.ALL);
    }

    @Test
    void refusesADeclaredScheduleThatBreaksARuleNamingTheKeyTheScheduleAndTheField() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.schedules", List.of(
                Map.of("name", "fleet", "interval_seconds", 30),
                Map.of("name", "fast", "interval_seconds", 2)))))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("vitals.api.schedules")
                .hasMessageContaining("schedule 2 of 2 ('fast'): interval_seconds: must be from 5 to 86400 seconds");
        assertThatThrownBy(() -> read(Map.of("vitals.api.schedules", List.of(
                Map.of("name", "fleet", "interval_seconds", 30, "colour", "red")))))
                .hasMessageContaining("vitals.api.schedules")
                .hasMessageContaining("unknown field 'colour'");
        assertThatThrownBy(() -> read(Map.of("vitals.api.schedules", "{name: fleet}")))
                .hasMessageContaining("vitals.api.schedules")
                .hasMessageContaining("must be a list of schedules");
    }

    @Test
    void refusesTwoDeclaredSchedulesOfOneName() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.schedules", List.of(
                Map.of("name", "fleet", "interval_seconds", 30),
                Map.of("name", "fleet", "interval_seconds", 60)))))
                .hasMessageContaining("vitals.api.schedules")
                .hasMessageContaining("schedule 2 of 2 is named 'fleet' as an earlier one is");
    }

    @Test
    void theShortestIntervalMayBeLoweredToOneSecondAndNoFurther() {
        assertThat(read(Map.of("vitals.api.schedule.min-interval", "1s")).schedules().minInterval())
                .isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> read(Map.of("vitals.api.schedule.min-interval", "500ms")))
                .hasMessageContaining("vitals.api.schedule.min-interval")
                .hasMessageContaining("whole number of seconds between 1s and 86400s");
    }
}
