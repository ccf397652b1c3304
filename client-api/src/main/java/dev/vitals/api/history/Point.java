package dev.vitals.api.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One report in a history: its time and status, with a check's value and thresholds when the history is of a
 * check.
 *
 * @param status  a check's {@code ok}, {@code warning}, {@code error} or {@code unknown}; without a check, the
 *                report's {@code healthy}, {@code warning} or {@code error}
 * @param value   the check's graded value; null without a check, or when it could not be read
 */
public record Point(Instant at, String status, @Nullable Double value,
                    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Double warning,
                    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Double error) {
}
