package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The warning and error limits one check is graded against, in the unit of the check's graded value
 * (percent for cpu, memory and disk; load per logical CPU; number of threads).
 */
public record Threshold(double warning, double error) {

    /** Reads a threshold from JSON, where both limits must be present and numbers. */
    @JsonCreator
    static Threshold fromJson(@JsonProperty("warning") @Nullable Double warning,
                              @JsonProperty("error") @Nullable Double error) {
        if (warning == null || error == null) {
            throw new IllegalArgumentException("a threshold needs both 'warning' and 'error' as numbers");
        }
        return new Threshold(warning, error);
    }

    /**
     * The grading rule of the contract: {@code value >= error} is an error, else {@code value >= warning}
     * is a warning, else ok.
     */
    public CheckStatus grade(double value) {
        if (value >= error) {
            return CheckStatus.ERROR;
        }
        if (value >= warning) {
            return CheckStatus.WARNING;
        }
        return CheckStatus.OK;
    }

    /**
     * Checks this threshold for {@code check}, naming {@code field} (a JSON path or configuration key)
     * in the message when it is refused.
     *
     * @throws ValidationException when a limit is not a finite number, negative, over 100 for a percent,
     *                             or when warning is above error
     */
    public Threshold validate(CheckName check, String field) {
        requireLimit(check, field + ".warning", warning);
        requireLimit(check, field + ".error", error);
        if (warning > error) {
            throw new ValidationException(field, "warning (" + format(warning) + ") must not be above error ("
                    + format(error) + ")");
        }
        return this;
    }

    private static void requireLimit(CheckName check, String field, double value) {
        if (!Double.isFinite(value)) {
            throw new ValidationException(field, "must be a finite number, got " + value);
        }
        if (value < 0) {
            throw new ValidationException(field, "must not be negative, got " + format(value));
        }
        if (check.gradesPercent() && value > 100) {
            throw new ValidationException(field, "is a percentage and must be between 0 and 100, got "
                    + format(value));
        }
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
