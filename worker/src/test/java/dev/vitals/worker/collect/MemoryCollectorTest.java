package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.vitals.model.CheckName;
import dev.vitals.model.MemoryUsage;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;

class MemoryCollectorTest {

    private static final long GIB = 1L << 30;

    @Test
    void percentUsedIsTheShareOfMemoryNotAvailable() {
        MemoryUsage usage = MemoryCollector.usage(new MemoryBytes(8 * GIB, 2 * GIB));

        assertThat(usage.percentUsed()).isCloseTo(75.0, within(1e-9));
    }

    @Test
    void reportsMegabytesAsMebibytes() {
        MemoryUsage usage = MemoryCollector.usage(new MemoryBytes(8 * GIB, 2 * GIB));

        assertThat(usage.totalMb()).isCloseTo(8192.0, within(1e-9));
        assertThat(usage.availableMb()).isCloseTo(2048.0, within(1e-9));
    }

    @Test
    void availableBeyondTotalCountsAsNothingUsed() {
        MemoryUsage usage = MemoryCollector.usage(new MemoryBytes(GIB, 2 * GIB));

        assertThat(usage.percentUsed()).isZero();
        assertThat(usage.availableMb()).isCloseTo(1024.0, within(1e-9));
    }

    @Test
    void unavailableWhenTotalIsUnknown() {
        assertThatThrownBy(() -> MemoryCollector.usage(new MemoryBytes(0, 0)))
                .isInstanceOf(MetricUnavailableException.class)
                .hasMessageContaining("total memory");
    }

    @Test
    void measuresWhatItsSourceReads() {
        MemoryCollector collector = new MemoryCollector(() -> new MemoryBytes(4 * GIB, GIB));

        assertThat(collector.collect()).isEqualTo(new MemoryUsage(75.0, 1024.0, 4096.0));
        assertThat(collector.check()).isEqualTo(CheckName.MEMORY);
    }

    @Nested
    class OnThisMachine {

        @Test
        void oshiGivesSaneMemory() {
            assertSane(MemoryCollector.fromOshi(new SystemInfo().getHardware().getMemory()).collect());
        }

        @Test
        void procGivesSaneMemoryCloseToOshis() {
            assumeThat(ProcFs.isAvailable(ProcFs.DEFAULT_ROOT)).as("Linux /proc").isTrue();

            MemoryUsage fromProc = MemoryCollector.fromProc(new ProcFs(ProcFs.DEFAULT_ROOT)).collect();

            assertSane(fromProc);
            MemoryUsage fromOshi = MemoryCollector.fromOshi(new SystemInfo().getHardware().getMemory()).collect();
            assertThat(fromProc.totalMb()).isEqualTo(fromOshi.totalMb());
        }

        private static void assertSane(MemoryUsage usage) {
            assertThat(usage.totalMb()).isPositive();
            assertThat(usage.availableMb()).isBetween(0.0, usage.totalMb());
            assertThat(usage.percentUsed()).isBetween(0.0, 100.0);
        }
    }
}
