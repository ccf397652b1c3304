package dev.vitals.worker.check;

import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import dev.vitals.model.Measurement;
import dev.vitals.model.Threshold;
import dev.vitals.worker.collect.Collector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One reading of every check, shared by the tasks that ask within {@code shareWithin} of it: a burst of
 * tasks costs one pass over the collectors instead of one each, and their reports agree. The time of the
 * reading is each report's {@code sampled_at}. The CPU check reads the background sampler's latest
 * window, so sharing never shortens or repeats a CPU measurement.
 *
 * <p>One caller reads at a time; callers that arrive meanwhile wait for that reading and share it.
 */
final class SharedReadings {

    private final Map<CheckName, Collector> collectors;
    private final long shareWithinNanos;
    private final Clock clock;
    private final CheckObserver observer;
    private final ReentrantLock reading = new ReentrantLock();
    private volatile @Nullable Readings latest;

    /**
     * @param shareWithin how long a reading serves later tasks; zero reads anew for every task
     * @param observer    told how long each collector took, once per reading
     */
    SharedReadings(Map<CheckName, Collector> collectors, Duration shareWithin, Clock clock, CheckObserver observer) {
        if (shareWithin.isNegative()) {
            throw new IllegalArgumentException("shareWithin must not be negative, got " + shareWithin);
        }
        // In check order, whatever map was given: Map.copyOf would iterate in an order that differs between runs.
        EnumMap<CheckName, Collector> ordered = new EnumMap<>(CheckName.class);
        ordered.putAll(collectors);
        this.collectors = java.util.Collections.unmodifiableMap(ordered);
        this.shareWithinNanos = shareWithin.toNanos();
        this.clock = clock;
        this.observer = observer;
    }

    /** The latest reading if it is recent enough, else a new one. */
    Readings current() {
        Readings readings = latest;
        if (isFresh(readings)) {
            return readings;
        }
        reading.lock();
        try {
            readings = latest;
            if (isFresh(readings)) {
                return readings;
            }
            readings = read();
            latest = readings;
            return readings;
        } finally {
            reading.unlock();
        }
    }

    private boolean isFresh(@Nullable Readings readings) {
        return readings != null && System.nanoTime() - readings.startedNanos() < shareWithinNanos;
    }

    private Readings read() {
        Instant sampledAt = clock.instant();
        long started = System.nanoTime();
        Map<CheckName, Reading> byCheck = new EnumMap<>(CheckName.class);
        for (Map.Entry<CheckName, Collector> entry : collectors.entrySet()) {
            long checkStarted = System.nanoTime();
            byCheck.put(entry.getKey(), read(entry.getValue()));
            observer.collected(entry.getKey(), Duration.ofNanos(System.nanoTime() - checkStarted));
        }
        return new Readings(sampledAt, started, System.nanoTime() - started, byCheck);
    }

    /** Whatever a collector throws becomes the reason its check is unknown; the other checks are still read. */
    private static Reading read(Collector collector) {
        try {
            return new Measured(collector.collect());
        } catch (RuntimeException | LinkageError e) {
            String message = e.getMessage();
            return new Unavailable(message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
        }
    }

    /**
     * One pass over the collectors.
     *
     * @param sampledAt    when it began, by the worker's clock
     * @param startedNanos when it began, by {@link System#nanoTime()}, to age it
     * @param tookNanos    how long it took
     * @param byCheck      what each collector returned; a check without a collector is absent
     */
    record Readings(Instant sampledAt, long startedNanos, long tookNanos, Map<CheckName, Reading> byCheck) {
    }

    /** What one collector returned: a measurement, or why there is none. */
    sealed interface Reading {
        /** The check graded against {@code threshold}, or {@code unknown} when it could not be read. */
        CheckResult graded(CheckName check, Threshold threshold);
    }

    record Measured(Measurement measurement) implements Reading {
        @Override
        public CheckResult graded(CheckName check, Threshold threshold) {
            return CheckResult.graded(measurement, threshold);
        }
    }

    record Unavailable(String reason) implements Reading {
        @Override
        public CheckResult graded(CheckName check, Threshold threshold) {
            return CheckResult.unknown(check, reason);
        }
    }
}
