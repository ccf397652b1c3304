package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedValueTest {

    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-11-22T10:00:00Z"));
    private final AtomicInteger reads = new AtomicInteger();
    private final CachedValue<Integer> value = new CachedValue<>(reads::incrementAndGet, Duration.ofSeconds(5), clock);

    @Test
    void reusesAReadingWithinItsTimeToLive() {
        value.get();
        clock.advance(Duration.ofMillis(4999));

        assertThat(value.get()).isEqualTo(1);
        assertThat(reads).hasValue(1);
    }

    @Test
    void readsAgainOnceTheTimeToLiveHasPassed() {
        value.get();
        clock.advance(Duration.ofSeconds(5));

        assertThat(value.get()).isEqualTo(2);
    }

    @Test
    void readsAgainWhenTheClockStepsBack() {
        value.get();
        clock.advance(Duration.ofSeconds(-1));

        assertThat(value.get()).isEqualTo(2);
    }

    @Test
    void zeroTimeToLiveReadsEveryTime() {
        CachedValue<Integer> uncached = new CachedValue<>(reads::incrementAndGet, Duration.ZERO, clock);

        uncached.get();

        assertThat(uncached.get()).isEqualTo(2);
    }

    @Test
    void aFailedReadIsNotCached() {
        AtomicInteger calls = new AtomicInteger();
        CachedValue<Integer> flaky = new CachedValue<>(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("not yet");
            }
            return 7;
        }, Duration.ofSeconds(5), clock);

        assertThatThrownBy(flaky::get).isInstanceOf(IllegalStateException.class);
        assertThat(flaky.get()).isEqualTo(7);
    }
}
