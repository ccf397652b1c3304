package dev.vitals.api.probe;

import dev.vitals.api.ApiConfig;
import dev.vitals.api.canary.Canary;
import dev.vitals.api.messaging.QueueMonitor;
import dev.vitals.api.store.TaskStore;
import dev.vitals.model.probe.ProbeReport;
import dev.vitals.model.probe.ProbeReport.Component;
import dev.vitals.model.probe.ProbeStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whether this replica can do its work: connected to the broker (and its topology declared), and its store
 * answering. When not, each component says why: the broker's the reason the link gives (a refused login, a queue
 * that exists with another type, the connection lost…). A check that throws counts as down, with the exception's message, here and nowhere else.
 *
 * <p>With canaries on, the {@code pipeline} component says whether the last canary came back; it makes the replica
 * not ready only when so configured ({@code vitals.api.canary.required-for-ready}), and is reported either way.
 */
public final class Readiness {

    private final BooleanSupplier brokerConnected;
    private final Supplier<String> brokerNotReady;
    private final TaskStore store;
    private final QueueMonitor queue;
    private final ApiConfig.Readiness settings;
    private final Canary canary;

    /**
     * @param brokerNotReady why the broker link is not ready (the last failure to connect or set up, in one line)
     * @param queue          the backlog and consumers of {@code maintenance_tasks}
     * @param settings       whether no consumer, or too long a backlog, makes the API not ready
     * @param canary         whether tasks flow, and whether that counts for readiness
     */
    public Readiness(BooleanSupplier brokerConnected, Supplier<String> brokerNotReady, TaskStore store,
                     QueueMonitor queue, ApiConfig.Readiness settings, Canary canary) {
        this.brokerConnected = brokerConnected;
        this.brokerNotReady = brokerNotReady;
        this.store = store;
        this.queue = queue;
        this.settings = settings;
        this.canary = canary;
    }

    /** Each component's state, and the overall status: up when every component is. */
    public ProbeReport check() {
        Map<String, Component> components = new LinkedHashMap<>();
        components.put("broker", brokerConnected.getAsBoolean()
                ? Component.up()
                : Component.down(brokerNotReady.get()));
        Component storeState;
        try {
            store.ping();
            storeState = Component.up();
        } catch (RuntimeException e) {
            storeState = Component.down(e.getMessage());
        }
        components.put("store", storeState);
        components.put("tasks", tasks());
        boolean up = components.values().stream().allMatch(component -> component.status() == ProbeStatus.UP);
        Optional<Component> pipeline = canary.state();
        if (pipeline.isPresent()) {
            components.put("pipeline", pipeline.get());
            up &= pipeline.get().status() == ProbeStatus.UP || !canary.requiredForReady();
        }
        return new ProbeReport(ProbeStatus.of(up), components);
    }

    /**
     * The {@code maintenance_tasks} backlog and its consumers, always in the answer; down only when so
     * configured ({@code vitals.api.readiness.*}) and no worker consumes, or the backlog is past its limit.
     */
    private Component tasks() {
        OptionalLong backlog = queue.backlog();
        OptionalLong consumers = queue.consumers();
        String detail = "backlog " + (backlog.isPresent() ? backlog.getAsLong() : "unknown") + ", consumers "
                + (consumers.isPresent() ? consumers.getAsLong() : "unknown");
        if (settings.requireConsumers() && consumers.isPresent() && consumers.getAsLong() == 0) {
            return Component.down("no worker consumes maintenance_tasks (" + detail + ")");
        }
        if (settings.maxBacklog() > 0 && backlog.isPresent() && backlog.getAsLong() > settings.maxBacklog()) {
            return Component.down("the backlog is over " + settings.maxBacklog() + " (" + detail + ")");
        }
        return new Component(ProbeStatus.UP, detail);
    }
}
