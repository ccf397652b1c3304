package dev.vitals.model.task;

import dev.vitals.model.CheckName;
import dev.vitals.model.Threshold;
import dev.vitals.model.ValidationException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a caller asks for: the body of {@code POST /api/v1/health-checks} and the {@code payload} of a
 * task message. Every field may be absent; absent fields take their defaults.
 *
 * @param target         which workers run it; {@link Target#ANY} when absent
 * @param checks         the checks to run; all when absent
 * @param thresholds     per-check thresholds that replace the worker's for this task only
 * @param timeoutSeconds how long the task may wait for a worker, 1–3600 s; configuration decides when absent
 */
public record TaskRequest(
        @Nullable Target target,
        @Nullable List<CheckName> checks,
        @Nullable Map<CheckName, Threshold> thresholds,
        @Nullable Integer timeoutSeconds) {

    public static final int MAX_TIMEOUT_SECONDS = 3600;

    /** A request with every field absent: all checks, any worker, default thresholds and timeout. */
    public static final TaskRequest DEFAULT = new TaskRequest(null, null, null, null);

    public Target targetOrAny() {
        return target == null ? Target.ANY : target;
    }

    /** The checks to run, in {@link CheckName} order; every check when none were named. */
    public Set<CheckName> checksToRun() {
        return checks == null ? EnumSet.allOf(CheckName.class) : EnumSet.copyOf(checks);
    }

    public Map<CheckName, Threshold> thresholdOverrides() {
        return thresholds == null ? Map.of() : thresholds;
    }

    /**
     * Checks the rules a parser cannot: a non-empty list of distinct checks, valid thresholds, and a
     * timeout within 1–3600 s.
     *
     * @return this request
     * @throws ValidationException naming the first field that breaks a rule
     */
    public TaskRequest validate() {
        if (checks != null) {
            if (checks.isEmpty()) {
                throw new ValidationException("checks", "must name at least one check (" + CheckName.knownNames()
                        + ") or be left out to run them all");
            }
            if (checks.stream().anyMatch(java.util.Objects::isNull)) {
                throw new ValidationException("checks", "must not contain null");
            }
            if (EnumSet.copyOf(checks).size() != checks.size()) {
                throw new ValidationException("checks", "names a check more than once: " + checks);
            }
        }
        if (thresholds != null) {
            thresholds.forEach((check, threshold) -> {
                if (threshold == null) {
                    throw new ValidationException("thresholds." + check.id(), "must be an object with warning and error");
                }
                threshold.validate(check, "thresholds." + check.id());
            });
        }
        if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS)) {
            throw new ValidationException("timeout_seconds", "must be between 1 and " + MAX_TIMEOUT_SECONDS
                    + ", got " + timeoutSeconds);
        }
        return this;
    }
}
