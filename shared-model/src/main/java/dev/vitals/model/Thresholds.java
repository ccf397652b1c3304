package dev.vitals.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * A threshold for every check. {@link #DEFAULTS} is the one set of built-in defaults; configuration
 * and requests override them check by check with {@link #withOverrides(Map)}.
 */
public final class Thresholds {

    /**
     * The built-in defaults. cpu, memory and disk follow the contract. load is the 1-minute load per
     * logical CPU: above 1.5 runnable tasks per CPU the machine is saturated and work waits; above 3 it
     * is badly overloaded. threads is the OS-wide thread count: 10,000 is far above what an ordinary
     * server runs, and 30,000 is close to the classic {@code pid_max} of 32,768, past which the
     * machine can no longer start threads or processes.
     */
    public static final Thresholds DEFAULTS = new Thresholds(Map.of(
            CheckName.CPU, new Threshold(90, 95),
            CheckName.MEMORY, new Threshold(80, 95),
            CheckName.DISK, new Threshold(90, 95),
            CheckName.LOAD, new Threshold(1.5, 3.0),
            CheckName.THREADS, new Threshold(10_000, 30_000)));

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
