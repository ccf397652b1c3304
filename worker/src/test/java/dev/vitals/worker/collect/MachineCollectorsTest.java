package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.model.CheckName;
import dev.vitals.model.DiskUsage;
import dev.vitals.model.Measurement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;
import oshi.util.PlatformEnum;

/** Against this machine. */
class MachineCollectorsTest {

    private static final SystemInfo SYSTEM_INFO = new SystemInfo();
    private static CpuSampler sampler;

    @BeforeAll
    static void startSampler() throws InterruptedException {
        sampler = new CpuSampler(SYSTEM_INFO.getHardware().getProcessor(), Duration.ofMillis(400), Clock.systemUTC());
        sampler.start();
        sampler.awaitWindow(Duration.ofSeconds(10));
    }

    @AfterAll
    static void stopSampler() {
        sampler.close();
    }

    @Test
    void everyCheckHasACollectorMeasuringIt() {
        Map<CheckName, Collector> collectors = MachineCollectors.forThisMachine(SYSTEM_INFO, sampler, List.of());

        assertThat(collectors).containsOnlyKeys(CheckName.values());
        collectors.forEach((check, collector) -> assertThat(collector.check()).isEqualTo(check));
        assertMeasuresEveryCheck(collectors);
    }

    @Test
    void oshiWiringMeasuresEveryCheckToo() {
        Map<CheckName, Collector> collectors =
                MachineCollectors.wire(SYSTEM_INFO, sampler, List.of(), Clock.systemUTC(), null);

        assertMeasuresEveryCheck(collectors);
    }

    @Test
    void watchedPathsReachTheDiskCollector() {
        Map<CheckName, Collector> collectors = MachineCollectors.forThisMachine(SYSTEM_INFO, sampler, List.of("/"));

        assertThat(collectors.get(CheckName.DISK).collect())
                .isInstanceOfSatisfying(DiskUsage.class, disk -> assertThat(disk.path()).isEqualTo("/"));
    }

    private static void assertMeasuresEveryCheck(Map<CheckName, Collector> collectors) {
        boolean hasLoad = PlatformEnum.getCurrentPlatform() != PlatformEnum.WINDOWS;
        collectors.forEach((check, collector) -> {
            if (check == CheckName.LOAD && !hasLoad) {
                return;
            }
            Measurement measurement = collector.collect();
            assertThat(measurement).isInstanceOf(check.measurementType());
        });
    }
}
