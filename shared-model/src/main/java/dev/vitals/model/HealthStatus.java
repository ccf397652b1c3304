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

    /** The status with this JSON name ({@code healthy}, {@code warning}, {@code error}), if there is one. */
    public static java.util.Optional<HealthStatus> find(String id) {
        for (HealthStatus status : values()) {
            if (status.id().equals(id)) {
                return java.util.Optional.of(status);
            }
        }
        return java.util.Optional.empty();
    }

    public HealthStatus worse(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
