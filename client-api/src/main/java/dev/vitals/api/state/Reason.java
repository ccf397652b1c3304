package dev.vitals.api.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * Why a run counted as it did, as a transition shows it: {@code {"check": "disk", "value": 97.1,
 * "threshold": 95, "status": "error"}}, {@code {"status": "healthy"}} for a report, or {@code {"missing": true}}
 * when the worker did not report before the task ended.
 *
 * @param check     the check that decided, if one did
 * @param value     its graded value
 * @param threshold the threshold its status was graded against (error for an error, else warning)
 * @param status    the check's status, or the report's overall status when no check is named
 * @param missing   true when there was no report
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Reason(@Nullable String check, @Nullable Double value, @Nullable Double threshold,
                     @Nullable String status, @Nullable Boolean missing) {

    /** No report came. */
    public static final Reason MISSING = new Reason(null, null, null, null, true);

    /** A report with this overall status and no check to blame. */
    public static Reason status(String status) {
        return new Reason(null, null, null, status, null);
    }
}
