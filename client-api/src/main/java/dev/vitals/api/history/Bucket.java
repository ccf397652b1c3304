package dev.vitals.api.history;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Reports of one worker over an hour or a day, counted.
 *
 * @param at      the start of the hour or day (UTC)
 * @param count   reports (scheduled and on demand)
 * @param ok      reports whose status was {@code ok} (without a check: {@code healthy})
 * @param min     the least graded value; null without a check or when none was read
 * @param avg     the mean graded value
 * @param max     the greatest
 */
public record Bucket(Instant at, int count, int ok, int warning, int error, int unknown, @Nullable Double min,
                     @Nullable Double avg, @Nullable Double max) {
}
