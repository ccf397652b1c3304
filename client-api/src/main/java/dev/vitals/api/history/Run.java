package dev.vitals.api.history;

import dev.vitals.model.CheckName;
import dev.vitals.model.HealthStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One worker's part in one ended task: its report, or a missing report when the worker was expected and did
 * not report before the task ended.
 *
 * @param at        when the task ended (by the clock of the replica that ended it)
 * @param scheduled the task was created by a schedule: only such runs move states and count for uptime
 * @param status    the report's overall status; null when the report is missing
 * @param checks    the checks the report holds; empty when missing
 */
public record Run(UUID taskId, String workerId, Instant at, boolean scheduled, @Nullable HealthStatus status,
                  Map<CheckName, CheckPoint> checks) {

    public Run {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(at, "at");
        // In the order of CheckName, whatever map was given: the first check in error names a transition's reason.
        checks = checks.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(checks));
    }

    /** A run without a report. */
    public static Run missing(UUID taskId, String workerId, Instant at, boolean scheduled) {
        return new Run(taskId, workerId, at, scheduled, null, Map.of());
    }

    public boolean isMissing() {
        return status == null;
    }

    /** A failed run: the report says error, or there is none. A warning is not a failure. */
    public boolean failed() {
        return status == null || status == HealthStatus.ERROR;
    }
}
