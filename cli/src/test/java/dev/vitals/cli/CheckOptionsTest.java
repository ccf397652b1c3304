package dev.vitals.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckOptionsTest {

    private static CheckOptions parse(String... args) {
        return CheckOptions.parse(List.of(args), Map.of());
    }

    @Test
    void defaultsAreLocalApiAnyTargetThirtySecondsAndATable() {
        CheckOptions options = parse();

        assertThat(options.api()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(options.target().value()).isEqualTo("any");
        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.output()).isEqualTo(CheckOptions.Output.TABLE);
        assertThat(options.token()).isNull();
    }

    @Test
    void environmentGivesApiAndTokenAndOptionsWin() {
        Map<String, String> env = Map.of("VITALS_API_URL", "http://api.example:9000/", "VITALS_API_TOKEN", "s3cret");

        assertThat(CheckOptions.parse(List.of(), env).api()).isEqualTo(URI.create("http://api.example:9000"));
        assertThat(CheckOptions.parse(List.of(), env).token()).isEqualTo("s3cret");
        assertThat(CheckOptions.parse(List.of("--token", "other"), env).token()).isEqualTo("other");
    }

    @Test
    void readsEveryOption() {
        CheckOptions options = parse("--api", "https://vitals:8443", "--target", "host-a-1", "--timeout", "12", "--nagios");

        assertThat(options.api()).isEqualTo(URI.create("https://vitals:8443"));
        assertThat(options.target().value()).isEqualTo("host-a-1");
        assertThat(options.timeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(options.output()).isEqualTo(CheckOptions.Output.NAGIOS);
    }

    @Test
    void refusesTimeoutsOutsideOneToThreeThousandSixHundredSeconds() {
        assertThatThrownBy(() -> parse("--timeout", "0")).hasMessageContaining("--timeout must be whole seconds");
        assertThatThrownBy(() -> parse("--timeout", "3601")).hasMessageContaining("got '3601'");
        assertThatThrownBy(() -> parse("--timeout", "soon")).hasMessageContaining("got 'soon'");
    }

    @Test
    void refusesABadTargetAndABadApi() {
        assertThatThrownBy(() -> parse("--target", "two words")).hasMessageStartingWith("--target must be");
        assertThatThrownBy(() -> parse("--api", "ftp://x")).hasMessageContaining("is not an http:// or https:// URL");
    }

    @Test
    void refusesUnknownOptionsMissingValuesAndClashingOutputs() {
        assertThatThrownBy(() -> parse("--verbose")).hasMessage("unknown option '--verbose'");
        assertThatThrownBy(() -> parse("--api")).hasMessage("--api needs a value");
        assertThatThrownBy(() -> parse("--json", "--nagios")).hasMessageContaining("exclude each other");
    }
}
