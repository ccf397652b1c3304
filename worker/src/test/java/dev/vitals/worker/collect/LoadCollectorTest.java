package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.vitals.model.CheckName;
import dev.vitals.model.LoadAverage;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;
import oshi.util.PlatformEnum;

class LoadCollectorTest {

    @Test
    void keepsTheThreeAveragesInOrder() {
        LoadAverage load = LoadCollector.loadAverage(new double[] {1.2, 1.5, 1.8}, 2);

        assertThat(load.loadAverage()).containsExactly(1.2, 1.5, 1.8);
    }

    @Test
    void perCoreIsTheOneMinuteAverageOverLogicalCpus() {
        LoadAverage load = LoadCollector.loadAverage(new double[] {3.0, 1.0, 0.5}, 4);

        assertThat(load.perCore()).isCloseTo(0.75, within(1e-9));
    }

    @Test
    void unavailableWhenThePlatformGivesNegativeAverages() {
        assertThatThrownBy(() -> LoadCollector.loadAverage(new double[] {-1, -1, -1}, 4))
                .isInstanceOf(MetricUnavailableException.class)
                .hasMessageContaining("not available");
    }

    @Test
    void unavailableWhenOnlyALaterAverageIsMissing() {
        assertThatThrownBy(() -> LoadCollector.loadAverage(new double[] {0.5, 0.4, -1}, 4))
                .isInstanceOf(MetricUnavailableException.class);
    }

    @Test
    void unavailableWhenLogicalCpusAreUnknown() {
        assertThatThrownBy(() -> LoadCollector.loadAverage(new double[] {0.5, 0.4, 0.3}, 0))
                .isInstanceOf(MetricUnavailableException.class)
                .hasMessageContaining("logical CPUs");
    }

    @Nested
    class OnThisMachine {

        private final SystemInfo systemInfo = new SystemInfo();

        @Test
        void measuresNonNegativeAveragesWhereThePlatformHasThem() {
            assumeThat(PlatformEnum.getCurrentPlatform()).isNotEqualTo(PlatformEnum.WINDOWS);
            LoadCollector collector = new LoadCollector(systemInfo.getHardware().getProcessor());

            LoadAverage load = collector.collect();

            assertThat(collector.check()).isEqualTo(CheckName.LOAD);
            assertThat(load.loadAverage()).hasSize(3).allSatisfy(average -> assertThat(average).isNotNegative());
            assertThat(load.perCore()).isNotNegative();
        }
    }
}
