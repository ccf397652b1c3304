package dev.vitals.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThresholdsTest {

    private static final Map<CheckName, Threshold> EVERY_CHECK = Map.of(
            CheckName.CPU, new Threshold(90, 95),
            CheckName.MEMORY, new Threshold(80, 95),
            CheckName.DISK, new Threshold(90, 95),
            CheckName.LOAD, new Threshold(1.5, 3.0),
            CheckName.THREADS, new Threshold(10_000, 30_000));

    private static final Thresholds THRESHOLDS = Thresholds.of(EVERY_CHECK, "vitals.worker.thresholds");

    @Test
    void holdsTheThresholdOfEveryCheck() {
        assertThat(THRESHOLDS.asMap()).isEqualTo(EVERY_CHECK);
    }

    @Test
    void refusesAMissingCheckNamingIt() {
        Map<CheckName, Threshold> withoutLoad = new EnumMap<>(EVERY_CHECK);
        withoutLoad.remove(CheckName.LOAD);

        assertThatThrownBy(() -> Thresholds.of(withoutLoad, "vitals.worker.thresholds"))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("vitals.worker.thresholds.load: must be set");
    }

    @Test
    void refusesAnInvalidThresholdNamingItsField() {
        Map<CheckName, Threshold> invalid = new EnumMap<>(EVERY_CHECK);
        invalid.put(CheckName.CPU, new Threshold(99, 90));

        assertThatThrownBy(() -> Thresholds.of(invalid, "vitals.worker.thresholds"))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("vitals.worker.thresholds.cpu: warning (99) must not be above error (90)");
    }

    @Test
    void overridesOnlyTheNamedChecks() {
        Thresholds merged = THRESHOLDS.withOverrides(Map.of(CheckName.DISK, new Threshold(70, 85)), "thresholds");

        assertThat(merged.forCheck(CheckName.DISK)).isEqualTo(new Threshold(70, 85));
        assertThat(merged.forCheck(CheckName.CPU)).isEqualTo(THRESHOLDS.forCheck(CheckName.CPU));
    }

    @Test
    void refusesAnInvalidOverrideNamingItsField() {
        assertThatThrownBy(() -> THRESHOLDS.withOverrides(
                Map.of(CheckName.CPU, new Threshold(99, 90)), "thresholds"))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("thresholds.cpu: warning (99) must not be above error (90)");
    }
}
