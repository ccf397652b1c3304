package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import oshi.SystemInfo;

/**
 * CPU honesty: with every core kept busy, each window the sampler reports has its full length and the
 * machine's real CPU use, as the kernel's own counters in {@code /proc/stat} show it over the same window.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "compares with /proc/stat, which only Linux has")
class CpuSamplerUnderLoadTest {

    private static final Duration INTERVAL = Duration.ofMillis(400);
    private static final Duration LOAD = Duration.ofMillis(3_000);

    /** One reading of the first line of /proc/stat. */
    private record ProcStat(Instant at, long busy, long total) {
        static ProcStat read() throws IOException {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            long[] ticks = Arrays.stream(cpu.trim().split("\\s+")).skip(1).limit(8).mapToLong(Long::parseLong).toArray();
            long total = Arrays.stream(ticks).sum();
            long idle = ticks[3] + ticks[4];
            return new ProcStat(Instant.now(), total - idle, total);
        }
    }

    @Test
    void underFullLoadEveryWindowIsWholeAndMatchesTheKernelsCounters() throws Exception {
        AtomicBoolean spinning = new AtomicBoolean(true);
        List<Thread> spinners = new ArrayList<>();
        List<ProcStat> kernel = new ArrayList<>();
        Set<CpuWindow> windows = new LinkedHashSet<>();
        try (CpuSampler sampler = new CpuSampler(new SystemInfo().getHardware().getProcessor(), INTERVAL,
                Clock.systemUTC())) {
            sampler.start();
            for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
                spinners.add(Thread.ofPlatform().daemon().start(() -> {
                    long sink = 0;
                    while (spinning.get()) {
                        sink += System.nanoTime() % 7;
                    }
                    if (sink == 42) {
                        System.out.print("");
                    }
                }));
            }
            Instant loaded = Instant.now();
            long end = System.nanoTime() + LOAD.toNanos();
            while (System.nanoTime() < end) {
                kernel.add(ProcStat.read());
                sampler.latest().ifPresent(windows::add);
                Thread.sleep(10);
            }
            spinning.set(false);
            for (Thread spinner : spinners) {
                spinner.join();
            }

            List<CpuWindow> underLoad = windows.stream()
                    .filter(w -> w.sampledAt().minus(w.window()).isAfter(loaded.plusMillis(50)))
                    .filter(w -> w.sampledAt().isBefore(kernel.getLast().at()))
                    .toList();
            assertThat(underLoad).as("windows wholly under load").hasSizeGreaterThanOrEqualTo(3);
            for (CpuWindow window : underLoad) {
                // Not a sliver: a window follows the one before it by about the interval. A sample that comes
                // late on a loaded machine (this test keeps every core busy) shortens the next window a little.
                assertThat(window.window()).as("window length").isGreaterThanOrEqualTo(INTERVAL.dividedBy(2));
                ProcStat from = nearest(kernel, window.sampledAt().minus(window.window()));
                ProcStat to = nearest(kernel, window.sampledAt());
                double kernelPercent = 100.0 * (to.busy() - from.busy()) / (to.total() - from.total());
                assertThat(window.percentUsed()).as("reported CPU %% for the window ending %s", window.sampledAt())
                        .isCloseTo(kernelPercent, within(12.0));
                assertThat(window.percentUsed()).isGreaterThan(70.0);
            }
        } finally {
            spinning.set(false);
        }
    }

    private static ProcStat nearest(List<ProcStat> readings, Instant at) {
        return readings.stream()
                .min(Comparator.comparing(r -> Duration.between(r.at(), at).abs()))
                .orElseThrow();
    }
}
