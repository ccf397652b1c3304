package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CpuSamplerTest {

    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

    private final SteppingClock clock = new SteppingClock(START);

    /** Hands out the given readings in order, then repeats the last. */
    private static Supplier<CpuTicks> readings(CpuTicks... ticks) {
        Deque<CpuTicks> queue = new ArrayDeque<>(List.of(ticks));
        return () -> queue.size() > 1 ? queue.poll() : queue.peek();
    }

    /** Each reading is 100 ms of CPU time later than the one before, half of it idle. */
    private static Supplier<CpuTicks> halfBusy() {
        AtomicLong total = new AtomicLong();
        return () -> {
            long now = total.addAndGet(100);
            return new CpuTicks(now / 2, now);
        };
    }

    @Test
    void firstReadingOnlyStartsAWindow() {
        CpuSampler sampler = new CpuSampler(readings(new CpuTicks(0, 0)), Duration.ofSeconds(1), clock);

        sampler.sample();

        assertThat(sampler.latest()).isEmpty();
    }

    @Test
    void windowSpansTheTimeBetweenTwoReadings() {
        CpuSampler sampler = new CpuSampler(readings(new CpuTicks(100, 1000), new CpuTicks(850, 2000)),
                Duration.ofSeconds(1), clock);

        sampler.sample();
        clock.advance(Duration.ofMillis(1003));
        sampler.sample();

        assertThat(sampler.latest()).hasValueSatisfying(window -> {
            assertThat(window.percentUsed()).isCloseTo(25.0, within(1e-9));
            assertThat(window.window()).isEqualTo(Duration.ofMillis(1003));
            assertThat(window.sampledAt()).isEqualTo(START.plusMillis(1003));
        });
    }

    @Test
    void keepsOnlyTheLatestWindow() {
        CpuSampler sampler = new CpuSampler(
                readings(new CpuTicks(0, 0), new CpuTicks(0, 100), new CpuTicks(100, 200)),
                Duration.ofSeconds(1), clock);

        sampler.sample();
        clock.advance(Duration.ofSeconds(1));
        sampler.sample();
        clock.advance(Duration.ofSeconds(1));
        sampler.sample();

        assertThat(sampler.latest()).hasValueSatisfying(window -> {
            assertThat(window.percentUsed()).isCloseTo(0.0, within(1e-9));
            assertThat(window.sampledAt()).isEqualTo(START.plusSeconds(2));
        });
    }

    @Test
    void readingWithoutProgressExtendsTheWindowInsteadOfPublishingAnEmptyOne() {
        CpuSampler sampler = new CpuSampler(
                readings(new CpuTicks(0, 1000), new CpuTicks(0, 1000), new CpuTicks(100, 1200)),
                Duration.ofSeconds(1), clock);

        sampler.sample();
        clock.advance(Duration.ofSeconds(1));
        sampler.sample();
        assertThat(sampler.latest()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        sampler.sample();

        assertThat(sampler.latest()).hasValueSatisfying(window -> {
            assertThat(window.window()).isEqualTo(Duration.ofSeconds(2));
            assertThat(window.percentUsed()).isCloseTo(50.0, within(1e-9));
        });
    }

    @Test
    void clockSteppingBackStartsAFreshWindow() {
        CpuSampler sampler = new CpuSampler(
                readings(new CpuTicks(0, 0), new CpuTicks(0, 100), new CpuTicks(0, 200)),
                Duration.ofSeconds(1), clock);

        sampler.sample();
        clock.advance(Duration.ofSeconds(-5));
        sampler.sample();
        assertThat(sampler.latest()).isEmpty();
        clock.advance(Duration.ofMillis(500));
        sampler.sample();

        assertThat(sampler.latest()).hasValueSatisfying(
                window -> assertThat(window.window()).isEqualTo(Duration.ofMillis(500)));
    }

    @Test
    void countersGoingBackwardsStartAFreshWindow() {
        CpuSampler sampler = new CpuSampler(
                readings(new CpuTicks(0, 5000), new CpuTicks(0, 100), new CpuTicks(100, 300)),
                Duration.ofSeconds(1), clock);

        sampler.sample();
        clock.advance(Duration.ofSeconds(1));
        sampler.sample();
        assertThat(sampler.latest()).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        sampler.sample();

        assertThat(sampler.latest()).hasValueSatisfying(window -> {
            assertThat(window.window()).isEqualTo(Duration.ofSeconds(1));
            assertThat(window.percentUsed()).isCloseTo(50.0, within(1e-9));
        });
    }

    @Test
    void startedSamplerPublishesWindowsOnItsOwnDaemonThread() {
        try (CpuSampler sampler = new CpuSampler(halfBusy(), Duration.ofMillis(20), Clock.systemUTC())) {
            sampler.start();

            await().atMost(Duration.ofSeconds(5)).until(() -> sampler.latest().isPresent());

            assertThat(sampler.latest().orElseThrow().percentUsed()).isCloseTo(50.0, within(1e-9));
            assertThat(samplerThreads()).isNotEmpty().allMatch(Thread::isDaemon);
        }
    }

    @Test
    void closeStopsTheSamplingThread() {
        CpuSampler sampler = new CpuSampler(halfBusy(), Duration.ofMillis(20), Clock.systemUTC());
        sampler.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> sampler.latest().isPresent());

        sampler.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> samplerThreads().isEmpty());
        assertThat(sampler.latest()).isPresent();
    }

    @Test
    void aFailedReadingDoesNotStopSampling() {
        Supplier<CpuTicks> halfBusy = halfBusy();
        AtomicInteger calls = new AtomicInteger();
        Supplier<CpuTicks> failsOnce = () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("/proc/stat is unreadable");
            }
            return halfBusy.get();
        };
        try (CpuSampler sampler = new CpuSampler(failsOnce, Duration.ofMillis(20), Clock.systemUTC())) {
            sampler.start();

            await().atMost(Duration.ofSeconds(5)).until(() -> sampler.latest().isPresent());
            assertThat(calls).hasValueGreaterThan(2);
        }
    }

    @Test
    void awaitWindowReturnsTheFirstWindowOnceItCloses() throws InterruptedException {
        try (CpuSampler sampler = new CpuSampler(halfBusy(), Duration.ofMillis(20), Clock.systemUTC())) {
            sampler.start();

            CpuWindow window = sampler.awaitWindow(Duration.ofSeconds(5));

            assertThat(window.percentUsed()).isCloseTo(50.0, within(1e-9));
            assertThat(window.window()).isPositive();
        }
    }

    @Test
    void awaitWindowGivesUpWhenNoWindowClosesInTime() {
        CpuTicks stuck = new CpuTicks(0, 100);
        try (CpuSampler sampler = new CpuSampler(() -> stuck, Duration.ofMillis(10), Clock.systemUTC())) {
            sampler.start();

            assertThatThrownBy(() -> sampler.awaitWindow(Duration.ofMillis(100)))
                    .isInstanceOf(MetricUnavailableException.class)
                    .hasMessageContaining("no CPU sample within 100 ms");
        }
    }

    @Test
    void awaitWindowRefusesWhenNeverStarted() {
        try (CpuSampler sampler = new CpuSampler(halfBusy(), Duration.ofSeconds(1), clock)) {
            assertThatThrownBy(() -> sampler.awaitWindow(Duration.ofSeconds(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not started");
        }
    }

    @Test
    void cannotStartTwice() {
        try (CpuSampler sampler = new CpuSampler(halfBusy(), Duration.ofSeconds(1), clock)) {
            sampler.start();

            assertThatThrownBy(sampler::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void refusesANonPositiveInterval() {
        assertThatThrownBy(() -> new CpuSampler(halfBusy(), Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interval must be positive");
    }

    private static List<Thread> samplerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(CpuSampler.THREAD_NAME))
                .toList();
    }
}
