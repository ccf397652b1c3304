package dev.vitals.model;

import static dev.vitals.model.CheckStatus.ERROR;
import static dev.vitals.model.CheckStatus.OK;
import static dev.vitals.model.CheckStatus.UNKNOWN;
import static dev.vitals.model.CheckStatus.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

    @Test
    void isHealthyWhenEveryCheckIsOk() {
        assertThat(StatusAggregator.ofChecks(List.of(OK, OK, OK))).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void isHealthyWithNoChecks() {
        assertThat(StatusAggregator.ofChecks(List.of())).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void takesTheWorstCheck() {
        assertThat(StatusAggregator.ofChecks(List.of(OK, WARNING, OK))).isEqualTo(HealthStatus.WARNING);
        assertThat(StatusAggregator.ofChecks(List.of(WARNING, ERROR, OK))).isEqualTo(HealthStatus.ERROR);
    }

    @Test
    void makesAnUnknownCheckAtLeastWarning() {
        assertThat(StatusAggregator.ofChecks(List.of(OK, UNKNOWN))).isEqualTo(HealthStatus.WARNING);
    }

    @Test
    void letsAnErrorOutweighAnUnknownCheck() {
        assertThat(StatusAggregator.ofChecks(List.of(UNKNOWN, ERROR))).isEqualTo(HealthStatus.ERROR);
    }

    @Test
    void takesTheWorstReport() {
        assertThat(StatusAggregator.ofReports(List.of(HealthStatus.HEALTHY, HealthStatus.ERROR, HealthStatus.WARNING)))
                .isEqualTo(HealthStatus.ERROR);
        assertThat(StatusAggregator.ofReports(List.of())).isEqualTo(HealthStatus.HEALTHY);
    }
}
