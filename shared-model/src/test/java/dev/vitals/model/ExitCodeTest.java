package dev.vitals.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExitCodeTest {

    @Test
    void healthyExitsZeroWarningAndErrorExitOne() {
        assertThat(ExitCode.of(HealthStatus.HEALTHY).code()).isZero();
        assertThat(ExitCode.of(HealthStatus.WARNING).code()).isEqualTo(1);
        assertThat(ExitCode.of(HealthStatus.ERROR).code()).isEqualTo(1);
    }

    @Test
    void couldNotRunIsTwo() {
        assertThat(ExitCode.COULD_NOT_RUN.code()).isEqualTo(2);
    }
}
