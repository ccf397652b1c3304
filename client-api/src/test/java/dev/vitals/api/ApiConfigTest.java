package dev.vitals.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.vitals.api.store.Database;
import java.time.Duration;
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
    void refusesABadSweepInterval() {
        assertThatThrownBy(() -> read(Map.of("vitals.api.tasks.sweep-interval", "10ms")))
                .hasMessageContaining("vitals.api.tasks.sweep-interval");
    }
}
