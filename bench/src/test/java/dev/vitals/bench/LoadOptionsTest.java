package dev.vitals.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void e2eDefaultsToOneClientAndTwoHundredChecks() {
        LoadOptions options = LoadOptions.parse(List.of("e2e"));

        assertThat(options.mode()).isEqualTo(LoadOptions.Mode.E2E);
        assertThat(options.clients()).isEqualTo(1);
        assertThat(options.count()).isEqualTo(200);
        assertThat(options.api()).isEqualTo(URI.create("http://localhost:8080"));
    }

    @Test
    void throughputDefaultsToSixtyFourClientsForTenSeconds() {
        LoadOptions options = LoadOptions.parse(List.of("throughput", "--api", "http://api:9000/"));

        assertThat(options.clients()).isEqualTo(64);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.api()).isEqualTo(URI.create("http://api:9000"));
    }

    @Test
    void everyRunIsBoundedInClientsCountAndTime() {
        assertThatThrownBy(() -> LoadOptions.parse(List.of("get", "--clients", "5000")))
                .hasMessageContaining("--clients must be a whole number from 1 to 1024");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("get", "--duration", "601")))
                .hasMessageContaining("--duration must be a whole number from 1 to 600");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("e2e", "--count", "0"))).hasMessageContaining("--count");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("get", "--warmup", "-1")))
                .hasMessageContaining("--warmup must be a whole number from 0 to 600");
    }

    @Test
    void aWarmUpIsNoneUnlessAsked() {
        assertThat(LoadOptions.parse(List.of("get")).warmup()).isZero();
        assertThat(LoadOptions.parse(List.of("get", "--warmup", "15")).warmup()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void refusesUnknownModesAndOptions() {
        assertThatThrownBy(() -> LoadOptions.parse(List.of())).hasMessageContaining("name a mode");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("soak"))).hasMessageContaining("unknown mode 'soak'");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("e2e", "--fast", "1"))).hasMessageContaining("unknown option");
        assertThatThrownBy(() -> LoadOptions.parse(List.of("e2e", "--api"))).hasMessageContaining("needs a value");
    }

    @Test
    void theTokenComesFromTheOptionElseTheEnvironment() {
        assertThat(LoadOptions.parse(List.of("get"), "from-env").token()).isEqualTo("from-env");
        assertThat(LoadOptions.parse(List.of("get", "--token", "given"), "from-env").token()).isEqualTo("given");
        assertThat(LoadOptions.parse(List.of("get"), null).token()).isNull();
    }

    @Test
    void pollsOnlyWhenAskedToAndWithinBounds() {
        assertThat(LoadOptions.parse(List.of("e2e")).polls()).isFalse();
        LoadOptions polled = LoadOptions.parse(List.of("throughput", "--poll-interval", "5"));

        assertThat(polled.polls()).isTrue();
        assertThat(polled.pollInterval()).isEqualTo(Duration.ofMillis(5));
        assertThatThrownBy(() -> LoadOptions.parse(List.of("e2e", "--poll-interval", "0")))
                .hasMessageContaining("--poll-interval must be a whole number from 1 to 10000");
    }
}
