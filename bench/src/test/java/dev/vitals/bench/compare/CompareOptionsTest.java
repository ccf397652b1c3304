package dev.vitals.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompareOptionsTest {

    private static final Path ROOT = Path.of("/work/vitals");

    @Test
    void startsBothSystemsWithThePeerBesideTheRepository() {
        CompareOptions options = CompareOptions.parse(List.of(), ROOT);

        assertThat(options.peer()).isEqualTo(Path.of("/work/shared/peer"));
        assertThat(options.vitals()).isNull();
        assertThat(options.clients()).isEqualTo(64);
        assertThat(options.cold()).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.pollInterval()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void takesARunningVitalsAndShorterRuns() {
        CompareOptions options = CompareOptions.parse(List.of("--vitals", "http://127.0.0.1:9000/", "--warmup", "0",
                "--duration", "2", "--count", "10", "--peer", "/nowhere", "--poll-interval", "20"), ROOT);

        assertThat(options.vitals()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(options.warmup()).isZero();
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.count()).isEqualTo(10);
        assertThat(options.pollInterval()).isEqualTo(Duration.ofMillis(20));
        assertThat(options.peerPresent()).isFalse();
    }

    @Test
    void refusesUnboundedOrOverlappingSettingsNamingTheOption() {
        assertThatThrownBy(() -> CompareOptions.parse(List.of("--duration", "0"), ROOT))
                .hasMessage("--duration must be a whole number from 1 to 600, got '0'");
        assertThatThrownBy(() -> CompareOptions.parse(List.of("--cold", "61"), ROOT)).hasMessageContaining("--cold");
        assertThatThrownBy(() -> CompareOptions.parse(List.of("--api-port", "18000", "--peer-port", "18002"), ROOT))
                .hasMessageContaining("overlap");
        assertThatThrownBy(() -> CompareOptions.parse(List.of("--vitals", "https://x"), ROOT))
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> CompareOptions.parse(List.of("--fast", "1"), ROOT))
                .hasMessage("unknown option '--fast'");
        assertThatThrownBy(() -> CompareOptions.parse(List.of("--count"), ROOT)).hasMessage("--count needs a value");
    }
}
