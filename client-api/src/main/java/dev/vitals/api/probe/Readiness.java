package dev.vitals.api.probe;

import dev.vitals.api.store.TaskStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Whether this replica can do its work: connected to the broker (and its topology declared), and its store
 * answering. A check that throws counts as down, with the exception's message, here and nowhere else.
 */
public final class Readiness {

    private final BooleanSupplier brokerConnected;
    private final String brokerAddress;
    private final TaskStore store;

    /** @param brokerAddress the broker's address without password, for the probe's answer */
    public Readiness(BooleanSupplier brokerConnected, String brokerAddress, TaskStore store) {
        this.brokerConnected = brokerConnected;
        this.brokerAddress = brokerAddress;
        this.store = store;
    }

    /** Each component's state, and the overall status: up when every component is. */
    public Report check() {
        Map<String, Component> components = new LinkedHashMap<>();
        components.put("broker", brokerConnected.getAsBoolean()
                ? new Component(ProbeStatus.UP, null)
                : new Component(ProbeStatus.DOWN, "not connected to the message broker at " + brokerAddress));
        Component storeState;
        try {
            store.ping();
            storeState = new Component(ProbeStatus.UP, null);
        } catch (RuntimeException e) {
            storeState = new Component(ProbeStatus.DOWN, e.getMessage());
        }
        components.put("store", storeState);
        boolean up = components.values().stream().allMatch(c -> c.status() == ProbeStatus.UP);
        return new Report(ProbeStatus.of(up), components);
    }

    /** @param detail why a component is down; null when up */
    public record Component(ProbeStatus status, @Nullable String detail) {
    }

    public record Report(ProbeStatus status, Map<String, Component> components) {
    }
}
