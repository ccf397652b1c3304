package dev.vitals.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ThresholdTest {

    private final Threshold disk = new Threshold(90, 95);

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "0, OK",
            "89.999, OK",
            "90, WARNING",
            "90.001, WARNING",
            "94.999, WARNING",
            "95, ERROR",
            "95.001, ERROR",
            "100, ERROR"})
    void gradesAtAndAroundEachLimit(double value, CheckStatus expected) {
        assertThat(disk.grade(value)).isEqualTo(expected);
    }

    @Test
    void gradesErrorWhenWarningEqualsError() {
        Threshold equal = new Threshold(80, 80);

        assertThat(equal.grade(79.9)).isEqualTo(CheckStatus.OK);
        assertThat(equal.grade(80)).isEqualTo(CheckStatus.ERROR);
    }

    @Test
    void refusesWarningAboveErrorNamingTheField() {
        assertThatThrownBy(() -> new Threshold(96, 95).validate(CheckName.DISK, "thresholds.disk"))
                .isInstanceOf(ValidationException.class)
                .hasMessage("thresholds.disk: warning (96) must not be above error (95)")
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("thresholds.disk");
    }

    @Test
    void refusesNegativeLimit() {
        assertThatThrownBy(() -> new Threshold(-1, 5).validate(CheckName.LOAD, "thresholds.load"))
                .hasMessage("thresholds.load.warning: must not be negative, got -1");
    }

    @Test
    void refusesPercentOverHundredForPercentChecks() {
        assertThatThrownBy(() -> new Threshold(90, 101).validate(CheckName.MEMORY, "thresholds.memory"))
                .hasMessage("thresholds.memory.error: is a percentage and must be between 0 and 100, got 101");
    }

    @Test
    void acceptsLimitsOverHundredForCountChecks() {
        Threshold threads = new Threshold(5_000, 20_000);

        assertThat(threads.validate(CheckName.THREADS, "thresholds.threads")).isSameAs(threads);
    }

    @Test
    void refusesNonFiniteLimit() {
        assertThatThrownBy(() -> new Threshold(Double.NaN, 5).validate(CheckName.LOAD, "t.load"))
                .hasMessageContaining("t.load.warning: must be a finite number");
    }
}
