package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.model.CpuUsage;
import dev.vitals.model.MemoryUsage;
import dev.vitals.model.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Grading cpu and memory against the worker's cgroup, from fixed readings. */
class ContainerGradingTest {

    private static final long MIB = 1L << 20;
    private static final long SECOND = 1_000_000_000L;

    private static CgroupFs.Cpu cpu(long usageNanos, long periods, long throttled, long throttledNanos) {
        return new CgroupFs.Cpu(0.5, usageNanos, periods, throttled, throttledNanos, "/vitals", 1);
    }

    @Test
    void containerCpuIsItsTimeAsAShareOfTheQuotaWithThrottlingInTheWindow() {
        ContainerCpu window = ContainerCpu.between(cpu(10 * SECOND, 100, 10, SECOND),
                cpu(10 * SECOND + 450_000_000L, 110, 14, SECOND + 200_000_000L), SECOND);

        assertThat(window.percentUsed()).isEqualTo(90.0);
        assertThat(window.effectiveCpus()).isEqualTo(0.5);
        assertThat(window.throttledPercent()).isEqualTo(40.0);
        assertThat(window.throttledSeconds()).isEqualTo(0.2);
    }

    @Test
    void containerCpuIsCappedAtTheWholeQuota() {
        assertThat(ContainerCpu.between(cpu(0, 0, 0, 0), cpu(SECOND, 10, 10, 0), SECOND).percentUsed()).isEqualTo(100.0);
    }

    @Test
    void readingsOfAnotherCgroupOrCountersGoneBackGiveNoContainerWindow() {
        CgroupFs.Cpu other = new CgroupFs.Cpu(0.5, 20 * SECOND, 0, 0, 0, "/elsewhere", 1);

        assertThat(ContainerCpu.between(cpu(10 * SECOND, 0, 0, 0), other, SECOND)).isNull();
        assertThat(ContainerCpu.between(cpu(10 * SECOND, 0, 0, 0), cpu(SECOND, 0, 0, 0), SECOND)).isNull();
        assertThat(ContainerCpu.between(null, cpu(SECOND, 0, 0, 0), SECOND)).isNull();
    }

    private static CpuWindow window(ContainerCpu container) {
        return new CpuWindow(30.0, Duration.ofSeconds(1), Instant.EPOCH, container);
    }

    @Test
    void cpuIsGradedAgainstTheQuotaWithTheHostBeside() {
        CpuUsage usage = CpuCollector.usage(window(new ContainerCpu(90.0, 0.5, 40.0, 0.2, "/vitals")), 2,
                GradeScope.AUTO);

        assertThat(usage.scope()).isEqualTo(Scope.CONTAINER);
        assertThat(usage.percentUsed()).isEqualTo(90.0);
        assertThat(usage.effectiveCpus()).isEqualTo(0.5);
        assertThat(usage.hostPercentUsed()).isEqualTo(30.0);
        assertThat(usage.throttledPercent()).isEqualTo(40.0);
    }

    @Test
    void cpuWithScopeHostIgnoresTheQuota() {
        CpuUsage usage = CpuCollector.usage(window(new ContainerCpu(90.0, 0.5, 40.0, 0.2, "/vitals")), 2,
                GradeScope.HOST);

        assertThat(usage).isEqualTo(new CpuUsage(30.0, 2, 1.0));
    }

    @Test
    void aQuotaOfAllTheMachinesCpusLimitsNothing() {
        CpuUsage usage = CpuCollector.usage(window(new ContainerCpu(15.0, 2.0, 0, 0, "/vitals")), 2, GradeScope.AUTO);

        assertThat(usage.scope()).isEqualTo(Scope.HOST);
        assertThat(usage.scopeNote()).isNull();
    }

    @Test
    void cpuWithScopeContainerAndNoQuotaIsGradedOnTheHostSayingSo() {
        CpuUsage usage = CpuCollector.usage(window(null), 2, GradeScope.CONTAINER);

        assertThat(usage.scope()).isEqualTo(Scope.HOST);
        assertThat(usage.scopeNote()).isEqualTo(CpuCollector.NO_QUOTA);
    }

    private static MemoryCollector memory(Optional<CgroupFs.Memory> cgroup, GradeScope scope) {
        return new MemoryCollector(() -> new MemoryBytes(8000 * MIB, 4000 * MIB), () -> cgroup, scope);
    }

    @Test
    void memoryIsGradedAgainstTheLimitWithTheHostBeside() {
        MemoryUsage usage = memory(Optional.of(new CgroupFs.Memory(256 * MIB, 230 * MIB, "/vitals", 1)),
                GradeScope.AUTO).collect();

        assertThat(usage.scope()).isEqualTo(Scope.CONTAINER);
        assertThat(usage.percentUsed()).isCloseTo(89.84, org.assertj.core.data.Offset.offset(0.01));
        assertThat(usage.availableMb()).isEqualTo(26.0);
        assertThat(usage.totalMb()).isEqualTo(256.0);
        assertThat(usage.limitMb()).isEqualTo(256.0);
        assertThat(usage.hostPercentUsed()).isEqualTo(50.0);
        assertThat(usage.hostTotalMb()).isEqualTo(8000.0);
    }

    @Test
    void memoryOverTheLimitCountsAsAllOfIt() {
        MemoryUsage usage = memory(Optional.of(new CgroupFs.Memory(256 * MIB, 300 * MIB, "/vitals", 1)),
                GradeScope.AUTO).collect();

        assertThat(usage.percentUsed()).isEqualTo(100.0);
        assertThat(usage.availableMb()).isZero();
    }

    @Test
    void aMemoryLimitAboveTheHostsMemoryLimitsNothing() {
        MemoryUsage usage = memory(Optional.of(new CgroupFs.Memory(16000 * MIB, 100 * MIB, "/", 2)),
                GradeScope.AUTO).collect();

        assertThat(usage).isEqualTo(new MemoryUsage(50.0, 4000, 8000));
    }

    @Test
    void memoryWithScopeHostIgnoresTheLimit() {
        MemoryUsage usage = memory(Optional.of(new CgroupFs.Memory(256 * MIB, 230 * MIB, "/vitals", 1)),
                GradeScope.HOST).collect();

        assertThat(usage.scope()).isEqualTo(Scope.HOST);
        assertThat(usage.percentUsed()).isEqualTo(50.0);
    }

    @Test
    void memoryWithScopeContainerAndNoLimitIsGradedOnTheHostSayingSo() {
        MemoryUsage usage = memory(Optional.empty(), GradeScope.CONTAINER).collect();

        assertThat(usage.scope()).isEqualTo(Scope.HOST);
        assertThat(usage.scopeNote()).isEqualTo(MemoryCollector.NO_LIMIT);
    }

    @Test
    void theSamplerGivesEachWindowTheContainersShareOfItsQuota() {
        java.util.Iterator<CgroupFs.Cpu> readings = java.util.List.of(cpu(0, 0, 0, 0),
                cpu(250_000_000L, 10, 0, 0)).iterator();
        java.util.Iterator<CpuTicks> ticks = java.util.List.of(new CpuTicks(0, 0), new CpuTicks(500, 1000)).iterator();
        SteppingClock clock = new SteppingClock(Instant.EPOCH);
        CpuSampler sampler = new CpuSampler(ticks::next, () -> Optional.of(readings.next()), Duration.ofSeconds(1),
                clock);

        sampler.sample();
        clock.advance(Duration.ofSeconds(1));
        sampler.sample();

        ContainerCpu container = sampler.latest().orElseThrow().container();
        assertThat(container.percentUsed()).isEqualTo(50.0);
        assertThat(container.throttledPercent()).isZero();
    }
}
