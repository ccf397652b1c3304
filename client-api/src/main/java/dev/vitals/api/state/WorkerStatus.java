package dev.vitals.api.state;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a worker (or one of its checks) stands after its scheduled runs. */
public enum WorkerStatus {
    /** No scheduled run yet. */
    UNKNOWN,
    HEALTHY,
    DEGRADED,
    UNHEALTHY;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WorkerStatus of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
