package dev.vitals.api.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Map;
import java.util.TreeMap;

/**
 * A worker's state as {@code GET /api/v1/workers} shows it: its own, and each check's that a scheduled run held.
 */
public record WorkerState(@JsonUnwrapped ScopeState overall,
                          @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, ScopeState> checks) {

    /** A worker without scheduled runs. */
    public static final WorkerState UNKNOWN = new WorkerState(ScopeState.UNKNOWN, Map.of());

    public WorkerState {
        checks = new TreeMap<>(checks);
    }
}
