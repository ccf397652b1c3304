package dev.vitals.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A threshold for every check. A worker's are its configuration ({@code vitals.worker.thresholds}, whose
 * defaults the worker's {@code reference.conf} documents); a request overrides them check by check with
 * {@link #withOverrides(Map, String)}.
 */
public final class Thresholds {

    private final Map<CheckName, Threshold> byCheck;

    private Thresholds(Map<CheckName, Threshold> byCheck) {
        EnumMap<CheckName, Threshold> copy = new EnumMap<>(CheckName.class);
        copy.putAll(byCheck);
        for (CheckName check : CheckName.values()) {
            if (!copy.containsKey(check)) {
                throw new IllegalArgumentException("no threshold for " + check.id());
            }
        }
        this.byCheck = Collections.unmodifiableMap(copy);
    }

    /**
     * Thresholds for every check, each validated; {@code fieldPrefix} (for example {@code vitals.worker.thresholds})
     * is used to name a refused or missing one.
     *
     * @throws ValidationException naming the first check whose threshold is missing or invalid
     */
    public static Thresholds of(Map<CheckName, Threshold> byCheck, String fieldPrefix) {
        for (CheckName check : CheckName.values()) {
            Threshold threshold = byCheck.get(check);
            if (threshold == null) {
                throw new ValidationException(fieldPrefix + "." + check.id(), "must be set, with warning and error");
            }
            threshold.validate(check, fieldPrefix + "." + check.id());
        }
        return new Thresholds(byCheck);
    }

    public Threshold forCheck(CheckName check) {
        return byCheck.get(check);
    }

    public Map<CheckName, Threshold> asMap() {
        return byCheck;
    }

    /**
     * These thresholds with some checks replaced. Each override is validated; {@code fieldPrefix} (for
     * example {@code thresholds} or {@code vitals.worker.thresholds}) is used to name a refused one.
     */
    public Thresholds withOverrides(Map<CheckName, Threshold> overrides, String fieldPrefix) {
        if (overrides.isEmpty()) {
            return this;
        }
        EnumMap<CheckName, Threshold> merged = new EnumMap<>(byCheck);
        overrides.forEach((check, threshold) ->
                merged.put(check, threshold.validate(check, fieldPrefix + "." + check.id())));
        return new Thresholds(merged);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Thresholds other && byCheck.equals(other.byCheck);
    }

    @Override
    public int hashCode() {
        return byCheck.hashCode();
    }

    @Override
    public String toString() {
        return "Thresholds" + byCheck;
    }
}
