package dev.vitals.api.history;

import dev.vitals.model.CheckName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Where runs, their hourly and daily buckets, and what is read of them are kept. */
public interface HistoryStore {

    /**
     * A worker's reports from {@code from} (inclusive) to {@code to} (exclusive), oldest first, at most
     * {@code limit}.
     *
     * @param check the check whose points to read; null for the reports' overall status
     */
    List<Point> points(String workerId, @Nullable CheckName check, Instant from, Instant to, int limit);

    /** A worker's hourly buckets that start from {@code from} (inclusive) to {@code to} (exclusive), oldest first. */
    List<Bucket> hourly(String workerId, @Nullable CheckName check, Instant from, Instant to);

    /** A worker's daily (UTC) buckets that start from {@code from} (inclusive) to {@code to} (exclusive), oldest first. */
    List<Bucket> daily(String workerId, @Nullable CheckName check, Instant from, Instant to);

    /**
     * A worker's scheduled runs and failures in each window ending at {@code now}: a window of a day or less
     * counts the hours that start after {@code now - window} up to the hour {@code now} is in; a longer one counts
     * whole UTC days, the current one and those before it ({@code 7d}: today and the 6 days before).
     */
    Map<Duration, Uptime> uptime(String workerId, Instant now, List<Duration> windows);

    /** Whether anything of this worker was recorded (a run kept, or a bucket). */
    boolean knows(String workerId);

    /** Deletes runs that ended before {@code cutoff}, at most {@code max}; returns how many. */
    int deleteRunsBefore(Instant cutoff, int max);

    /** Deletes hourly and daily buckets that start before {@code cutoff}, at most {@code max} of each; returns how many. */
    int deleteBucketsBefore(Instant cutoff, int max);
}
