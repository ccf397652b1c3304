package dev.vitals.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One graded check of a report: what was measured, the thresholds it was graded with and the
 * resulting status; or, when the metric could not be read, {@link CheckStatus#UNKNOWN} with the reason.
 *
 * <p>In JSON the measurement's fields are flattened into the check object next to {@code status},
 * {@code warning} and {@code error}; an unknown check is {@code {"status": "unknown", "error": "why"}}.
 */
public record CheckResult(
        CheckStatus status,
        @Nullable Measurement measurement,
        @Nullable Threshold threshold,
        @Nullable String reason) {

    public CheckResult {
        Objects.requireNonNull(status, "status");
        if (status == CheckStatus.UNKNOWN) {
            Objects.requireNonNull(reason, "an unknown check needs a reason");
        } else {
            Objects.requireNonNull(measurement, "a graded check needs a measurement");
            Objects.requireNonNull(threshold, "a graded check needs its threshold");
        }
    }

    /** Grades {@code measurement} against {@code threshold}. */
    public static CheckResult graded(Measurement measurement, Threshold threshold) {
        return new CheckResult(threshold.grade(measurement.gradedValue()), measurement, threshold, null);
    }

    /** A check that could not be read, and why. */
    public static CheckResult unknown(String reason) {
        return new CheckResult(CheckStatus.UNKNOWN, null, null, reason);
    }
}
