package dev.vitals.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcStatsTest {

    private static final String STAT = "4242 (a (b) c) S 17 4242 4242 0 -1 4194560 5000 0 3 0 1234 567 0 0 20 0 31"
            + " 0 1000 4000000000 20000 18446744073709551615 1 1 0 0 0 0 0 4096 17639 0 0 0 17 1 0 0 0 0 0\n";

    @Test
    void addsUserAndSystemTicksAfterANameWithSpacesAndParentheses() {
        assertThat(ProcStats.parseCpuTicks(STAT)).isEqualTo(1234 + 567);
        assertThat(ProcStats.parseParent(STAT)).isEqualTo(17);
    }

    @Test
    void refusesALineThatIsNotAStatLine() {
        assertThatThrownBy(() -> ProcStats.parseCpuTicks("hello")).hasMessageContaining("not a /proc/PID/stat line");
    }

    @Test
    void readsResidentMemoryInKilobytes() {
        String status = "Name:\tjava\nVmPeak:\t 3000000 kB\nVmHWM:\t   90000 kB\nVmRSS:\t   81234 kB\nThreads:\t21\n";

        assertThat(ProcStats.parseResidentKb(status)).isEqualTo(81234);
        assertThat(ProcStats.parseResidentKb("Name:\tzombie\nState:\tZ (zombie)\n")).isZero();
    }

    @Test
    void measuresThisProcessAndCountsAProcessThatIsGoneAsNothing() {
        long self = ProcessHandle.current().pid();
        ProcStats proc = ProcStats.system();

        assertThat(proc.cpuMillis(List.of(self))).isPositive();
        assertThat(proc.residentKb(List.of(self)).orElseThrow()).isGreaterThan(1024);
        assertThat(proc.residentKb(List.of(Long.MAX_VALUE))).isEmpty();
        assertThat(proc.cpuMillis(List.of(Long.MAX_VALUE))).isZero();
        assertThat(proc.named("java")).contains(self);
    }
}
