package dev.vitals.model.probe;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The body of a probe: an overall status, up when every component is, and each component's state, for
 * example {@code {"status": "down", "checks": {"broker": {"status": "down", "detail": "not connected …"}}}}.
 */
public record ProbeReport(ProbeStatus status, Map<String, Component> checks) {

    public ProbeReport {
        checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    /** @param detail why the component is down; null when up */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Component(ProbeStatus status, @Nullable String detail) {

        public static Component up() {
            return new Component(ProbeStatus.UP, null);
        }

        public static Component down(String why) {
            return new Component(ProbeStatus.DOWN, why);
        }
    }

    /** The report of these components: up when all of them are. */
    public static ProbeReport of(Map<String, Component> checks) {
        boolean up = checks.values().stream().allMatch(c -> c.status() == ProbeStatus.UP);
        return new ProbeReport(ProbeStatus.of(up), checks);
    }
}
