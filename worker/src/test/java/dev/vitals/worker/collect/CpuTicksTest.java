package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CpuTicksTest {

    // OSHI's order: user, nice, system, idle, iowait, irq, softirq, steal.
    private static CpuTicks ticks(long user, long nice, long system, long idle, long iowait, long irq, long softirq,
            long steal) {
        return CpuTicks.of(new long[] {user, nice, system, idle, iowait, irq, softirq, steal});
    }

    @Test
    void totalSumsEveryStateAndIdleIncludesIoWait() {
        CpuTicks reading = ticks(1, 2, 3, 400, 50, 6, 7, 8);

        assertThat(reading.totalMillis()).isEqualTo(477);
        assertThat(reading.idleMillis()).isEqualTo(450);
    }

    @Test
    void percentUsedIsBusyShareOfTicksBetweenSnapshots() {
        CpuTicks before = ticks(100, 0, 50, 800, 50, 0, 0, 0);
        CpuTicks after = ticks(200, 0, 100, 1500, 100, 0, 0, 100);

        // 1000 ms passed in all; 700 idle + 50 iowait; 100 user + 50 system + 100 steal busy.
        assertThat(after.percentUsedSince(before)).hasValueCloseTo(25.0, within(1e-9));
    }

    @Test
    void ioWaitCountsAsIdle() {
        CpuTicks before = ticks(0, 0, 0, 0, 0, 0, 0, 0);
        CpuTicks after = ticks(0, 0, 0, 0, 1000, 0, 0, 0);

        assertThat(after.percentUsedSince(before)).hasValueCloseTo(0.0, within(1e-9));
    }

    @Test
    void fullyBusyWindowIsOneHundredPercent() {
        CpuTicks before = ticks(10, 10, 10, 500, 5, 0, 0, 0);
        CpuTicks after = ticks(410, 210, 310, 500, 5, 50, 20, 10);

        assertThat(after.percentUsedSince(before)).hasValueCloseTo(100.0, within(1e-9));
    }

    @Test
    void noPercentWhenTicksDidNotAdvance() {
        CpuTicks reading = ticks(100, 0, 50, 800, 50, 0, 0, 0);

        assertThat(reading.percentUsedSince(reading)).isEmpty();
    }

    @Test
    void noPercentWhenTicksWentBackwards() {
        CpuTicks before = ticks(100, 0, 50, 800, 50, 0, 0, 0);
        CpuTicks after = ticks(10, 0, 5, 80, 5, 0, 0, 0);

        assertThat(after.percentUsedSince(before)).isEmpty();
    }

    @Test
    void percentStaysWithinRangeWhenIdleRunsAheadOfTotal() {
        // iowait may step back on Linux while idle steps forward by more than the total.
        CpuTicks before = new CpuTicks(1000, 2000);
        CpuTicks after = new CpuTicks(1200, 2100);

        assertThat(after.percentUsedSince(before)).hasValueCloseTo(0.0, within(1e-9));
    }

    @Test
    void refusesATickArrayMissingStates() {
        assertThatThrownBy(() -> CpuTicks.of(new long[] {1, 2, 3, 4}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 4");
    }
}
