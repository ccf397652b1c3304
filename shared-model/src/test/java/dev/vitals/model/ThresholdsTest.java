package dev.vitals.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

    @Test
    void defaultsFollowTheContract() {
        assertThat(Thresholds.DEFAULTS.forCheck(CheckName.CPU)).isEqualTo(new Threshold(90, 95));
        assertThat(Thresholds.DEFAULTS.forCheck(CheckName.MEMORY)).isEqualTo(new Threshold(80, 95));
        assertThat(Thresholds.DEFAULTS.forCheck(CheckName.DISK)).isEqualTo(new Threshold(90, 95));
    }

    /** The contract leaves load and threads to the project; the README's table of default thresholds says these. */
    @Test
    void loadAndThreadsDefaultsAreTheReadmesDocumentedChoice() {
        assertThat(Thresholds.DEFAULTS.forCheck(CheckName.LOAD)).isEqualTo(new Threshold(1.5, 3.0));
        assertThat(Thresholds.DEFAULTS.forCheck(CheckName.THREADS)).isEqualTo(new Threshold(10_000, 30_000));
    }

    @Test
    void everyCheckHasItsDefaultPinnedAbove() {
        assertThat(Thresholds.DEFAULTS.asMap()).containsOnlyKeys(
                CheckName.CPU, CheckName.MEMORY, CheckName.DISK, CheckName.LOAD, CheckName.THREADS);
    }

    @Test
    void everyDefaultIsValid() {
        Thresholds.DEFAULTS.asMap().forEach((check, threshold) -> threshold.validate(check, check.id()));
    }

    @Test
    void overridesOnlyTheNamedChecks() {
        Thresholds merged = Thresholds.DEFAULTS.withOverrides(
                Map.of(CheckName.DISK, new Threshold(70, 85)), "thresholds");

        assertThat(merged.forCheck(CheckName.DISK)).isEqualTo(new Threshold(70, 85));
        assertThat(merged.forCheck(CheckName.CPU)).isEqualTo(Thresholds.DEFAULTS.forCheck(CheckName.CPU));
    }

    @Test
    void refusesAnInvalidOverrideNamingItsField() {
        assertThatThrownBy(() -> Thresholds.DEFAULTS.withOverrides(
                Map.of(CheckName.CPU, new Threshold(99, 90)), "vitals.worker.thresholds"))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("vitals.worker.thresholds.cpu: warning (99) must not be above error (90)");
    }
}
