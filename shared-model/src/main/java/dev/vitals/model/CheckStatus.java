package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The grade of one check. Declared from best to worst; {@link #UNKNOWN} means the metric could not be read. */
public enum CheckStatus {
    OK,
    WARNING,
    ERROR,
    UNKNOWN;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
