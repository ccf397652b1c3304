package dev.vitals.worker.collect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A value read from its source again only once it is older than its time to live, for readings that are
 * costly and change slowly. Safe to share between threads; two threads may both refresh an expired value,
 * which costs a read but gives no wrong answer.
 */
final class CachedValue<T> implements Supplier<T> {

    private record Reading<T>(T value, Instant readAt) {
    }

    private final Supplier<T> source;
    private final Duration timeToLive;
    private final Clock clock;
    private volatile @Nullable Reading<T> last;

    /**
     * @param source     where the value is read; may throw, in which case nothing is cached
     * @param timeToLive how long a reading is reused; zero reads every time
     * @param clock      tells a reading's age
     */
    CachedValue(Supplier<T> source, Duration timeToLive, Clock clock) {
        if (timeToLive.isNegative()) {
            throw new IllegalArgumentException("time to live must not be negative, got " + timeToLive);
        }
        this.source = source;
        this.timeToLive = timeToLive;
        this.clock = clock;
    }

    @Override
    public T get() {
        Instant now = clock.instant();
        Reading<T> reading = last;
        // A clock that stepped back makes the age unknowable: read again.
        if (reading == null || now.isBefore(reading.readAt()) || !now.isBefore(reading.readAt().plus(timeToLive))) {
            reading = new Reading<>(source.get(), now);
            last = reading;
        }
        return reading.value();
    }
}
