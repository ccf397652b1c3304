package dev.vitals.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One graded check of a report: what was measured, the thresholds it was graded with, the resulting status and
 * why; or, when the metric could not be read, {@link CheckStatus#UNKNOWN} with the error.
 *
 * <p>In JSON the measurement's fields are flattened into the check object next to {@code status},
 * {@code warning}, {@code error} and {@code reason}; an unknown check is
 * {@code {"status": "unknown", "error": "why", "reason": "cpu unknown: why"}}.
 *
 * @param error  why the metric could not be read; null for a graded check
 * @param reason why the check has its status, as {@link Reasons} words it
 */
public record CheckResult(
        CheckStatus status,
        @Nullable Measurement measurement,
        @Nullable Threshold threshold,
        @Nullable String error,
        String reason) {

    public CheckResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        if (status == CheckStatus.UNKNOWN) {
            Objects.requireNonNull(error, "an unknown check needs its error");
        } else {
            Objects.requireNonNull(measurement, "a graded check needs a measurement");
            Objects.requireNonNull(threshold, "a graded check needs its threshold");
        }
    }

    /** Grades {@code measurement} against {@code threshold}, with the reason for its status. */
    public static CheckResult graded(Measurement measurement, Threshold threshold) {
        CheckStatus status = threshold.grade(measurement.gradedValue());
        return new CheckResult(status, measurement, threshold, null, Reasons.graded(measurement, threshold, status));
    }

    /** The check {@code check} could not be read, because of {@code error}. */
    public static CheckResult unknown(CheckName check, String error) {
        return new CheckResult(CheckStatus.UNKNOWN, null, null, error, Reasons.unknown(check, error));
    }
}
