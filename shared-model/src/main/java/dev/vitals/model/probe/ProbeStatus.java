package dev.vitals.model.probe;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The state a probe reports ({@code /health/live}, {@code /health/ready}, {@code /health/startup}), and the
 * one mapping from it to an HTTP status, for the API and the worker alike.
 */
public enum ProbeStatus {
    UP(200),
    DOWN(503);

    private final int httpStatus;

    ProbeStatus(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ProbeStatus of(boolean up) {
        return up ? UP : DOWN;
    }
}
