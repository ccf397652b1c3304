package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The overall status of a report, or of several reports taken together. Declared from best to worst,
 * so that {@link #worse(HealthStatus)} and {@link StatusAggregator} can compare by order.
 */
public enum HealthStatus {
    HEALTHY,
    WARNING,
    ERROR;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public HealthStatus worse(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
