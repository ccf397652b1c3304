package dev.vitals.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private final Settings settings = Settings.at(ConfigFactory.parseString("""
            vitals.demo { port = 70000, size = 2KiB, wait = 2500ms, empty = " ", zero = 0s, ok = 8 }
            """), "vitals.demo");

    @Test
    void aValueInBoundsIsReturned() {
        assertThat(settings.intBetween("ok", 1, 10)).isEqualTo(8);
        assertThat(settings.bytesBetween("size", 1024, 4096)).isEqualTo(2048);
        assertThat(settings.durationAtLeast("wait", Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void aRefusalNamesTheFullKeyTheValueAndTheBounds() {
        assertThatThrownBy(() -> settings.intBetween("port", 0, 65535))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("vitals.demo.port")
                .hasMessageContaining("must be between 0 and 65535, got 70000");
    }

    @Test
    void durationsAreCheckedAndShownInMilliseconds() {
        assertThatThrownBy(() -> settings.durationBetween("wait", Duration.ofMillis(100), Duration.ofSeconds(1)))
                .hasMessageContaining("vitals.demo.wait").hasMessageContaining("between 100ms and 1000ms, got 2500ms");
        assertThatThrownBy(() -> settings.positiveDuration("zero")).hasMessageContaining("positive duration, got 0ms");
        assertThatThrownBy(() -> settings.wholeSecondsBetween("wait", 1, 30))
                .hasMessageContaining("whole number of seconds between 1s and 30s, got 2500ms");
    }

    @Test
    void blankStringsAndOutOfBoundSizesAreRefused() {
        assertThatThrownBy(() -> settings.nonBlank("empty")).hasMessageContaining("vitals.demo.empty").hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> settings.bytesBetween("size", 1, 1024)).hasMessageContaining("bytes, got 2048");
    }

    @Test
    void aRefusalIsExplainedInOneLineWithWhereTheValueWasSet() {
        Settings fromEnvironment = Settings.at(ConfigFactory.parseString("vitals.api.port = 8080\nvitals.api.port = ${?PORT_UNDER_TEST}")
                .withFallback(ConfigFactory.parseMap(java.util.Map.of("PORT_UNDER_TEST", "99999"), "env variables"))
                .resolve(),
                "vitals.api");

        ConfigException refused = catchConfigException(() -> fromEnvironment.intBetween("port", 0, 65535));

        assertThat(Settings.explain(refused)).isEqualTo("invalid setting vitals.api.port (environment variable"
                + " VITALS_API_PORT): must be between 0 and 65535, got 99999; correct it there");
    }

    @Test
    void aRefusalOfAValueFromAFileNamesTheFile() {
        Settings fromFile = Settings.at(ConfigFactory.parseString("vitals.demo.port = 70000",
                com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("my.conf")), "vitals.demo");

        String line = Settings.explain(catchConfigException(() -> fromFile.intBetween("port", 0, 65535)));

        assertThat(line).startsWith("invalid setting vitals.demo.port (my.conf").endsWith("got 70000; correct it there");
    }

    @Test
    void anyOtherConfigurationErrorIsExplainedInOneLine() {
        ConfigException wrongType = catchConfigException(() -> ConfigFactory.parseString("a = abc").getInt("a"));

        assertThat(Settings.explain(wrongType)).startsWith("invalid configuration: ").contains("a").doesNotContain("\n");
    }

    private static ConfigException catchConfigException(Runnable action) {
        try {
            action.run();
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("no ConfigException");
    }
}
