package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What a check was graded against: the whole machine, or the limits of the worker's container (its cgroup).
 * Only cpu and memory can be graded against a container; reports that do not say were graded against the host.
 */
public enum Scope {
    /** The machine: all its RAM, all its logical CPUs. */
    HOST,
    /** The worker's cgroup: its memory limit, its CPU quota. */
    CONTAINER;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code host} or {@code container}; anything else is refused. */
    @JsonCreator
    public static Scope of(String id) {
        for (Scope scope : values()) {
            if (scope.id().equals(id)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + id + "'; known scopes are host, container");
    }
}
