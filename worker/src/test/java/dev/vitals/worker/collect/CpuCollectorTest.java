package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vitals.model.CheckName;
import dev.vitals.model.CpuUsage;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;

/** Against this machine's real CPU counters. */
class CpuCollectorTest {

    private final CentralProcessor processor = new SystemInfo().getHardware().getProcessor();

    @Test
    void reportsTheLatestWindowOfThisMachine() throws InterruptedException {
        try (CpuSampler sampler = new CpuSampler(processor, Duration.ofMillis(400), Clock.systemUTC())) {
            sampler.start();
            sampler.awaitWindow(Duration.ofSeconds(10));
            CpuCollector collector = new CpuCollector(sampler, processor.getLogicalProcessorCount());

            CpuUsage usage = collector.collect();

            assertThat(collector.check()).isEqualTo(CheckName.CPU);
            assertThat(usage.percentUsed()).isBetween(0.0, 100.0);
            assertThat(usage.logicalCpus()).isPositive();
            assertThat(usage.windowSeconds()).isPositive().isLessThan(10.0);
        }
    }

    @Test
    void isUnavailableBeforeTheFirstWindow() {
        try (CpuSampler sampler = new CpuSampler(processor, Duration.ofSeconds(1), Clock.systemUTC())) {
            CpuCollector collector = new CpuCollector(sampler, processor.getLogicalProcessorCount());

            assertThatThrownBy(collector::collect)
                    .isInstanceOf(MetricUnavailableException.class)
                    .hasMessageStartingWith("no CPU sample yet");
        }
    }
}
