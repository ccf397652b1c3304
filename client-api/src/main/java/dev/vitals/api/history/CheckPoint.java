package dev.vitals.api.history;

import dev.vitals.model.CheckStatus;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One check of one report, as the history keeps it.
 *
 * @param value   the graded value (cpu, memory, disk: percent used; load: per core; threads: count); null
 *                when the check could not be read
 * @param warning the warning threshold it was graded with; null when the report does not say
 * @param error   the error threshold it was graded with; null when the report does not say
 * @param reason  the report's sentence on why the check has its status; null in reports of workers older than
 *                reasons. Alerts quote it; the history's tables do not keep it
 */
public record CheckPoint(CheckStatus status, @Nullable Double value, @Nullable Double warning,
                         @Nullable Double error, @Nullable String reason) {

    public CheckPoint {
        Objects.requireNonNull(status, "status");
    }

    /** A check point without a reason, as the history's tables give it back. */
    public CheckPoint(CheckStatus status, @Nullable Double value, @Nullable Double warning, @Nullable Double error) {
        this(status, value, warning, error, null);
    }
}
