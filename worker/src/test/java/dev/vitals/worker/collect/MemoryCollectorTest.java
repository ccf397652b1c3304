package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.vitals.model.CheckName;
import dev.vitals.model.MemoryUsage;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;

class MemoryCollectorTest {

    private static final long GIB = 1L << 30;

    @Test
    void percentUsedIsTheShareOfMemoryNotAvailable() {
        MemoryUsage usage = MemoryCollector.usage(8 * GIB, 2 * GIB);

        assertThat(usage.percentUsed()).isCloseTo(75.0, within(1e-9));
    }

    @Test
    void reportsMegabytesAsMebibytes() {
        MemoryUsage usage = MemoryCollector.usage(8 * GIB, 2 * GIB);

        assertThat(usage.totalMb()).isCloseTo(8192.0, within(1e-9));
        assertThat(usage.availableMb()).isCloseTo(2048.0, within(1e-9));
    }

    @Test
    void availableBeyondTotalCountsAsNothingUsed() {
        MemoryUsage usage = MemoryCollector.usage(GIB, 2 * GIB);

        assertThat(usage.percentUsed()).isZero();
        assertThat(usage.availableMb()).isCloseTo(1024.0, within(1e-9));
    }

    @Test
    void unavailableWhenTotalIsUnknown() {
        assertThatThrownBy(() -> MemoryCollector.usage(0, 0))
                .isInstanceOf(MetricUnavailableException.class)
                .hasMessageContaining("total memory");
    }

    @Nested
    class OnThisMachine {

        private final MemoryCollector collector = new MemoryCollector(new SystemInfo().getHardware().getMemory());

        @Test
        void measuresMemoryWithinSaneRanges() {
            MemoryUsage usage = collector.collect();

            assertThat(collector.check()).isEqualTo(CheckName.MEMORY);
            assertThat(usage.totalMb()).isPositive();
            assertThat(usage.availableMb()).isBetween(0.0, usage.totalMb());
            assertThat(usage.percentUsed()).isBetween(0.0, 100.0);
        }
    }
}
