package dev.vitals.api.probe;

import java.util.Locale;

/** Whether a probe passes; the one place that maps it to an HTTP status. */
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

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ProbeStatus of(boolean up) {
        return up ? UP : DOWN;
    }
}
