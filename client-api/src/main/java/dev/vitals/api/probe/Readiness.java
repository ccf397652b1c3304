package dev.vitals.api.probe;

import dev.vitals.api.ApiConfig;
import dev.vitals.api.messaging.QueueMonitor;
import dev.vitals.api.store.TaskStore;
import dev.vitals.model.probe.ProbeReport;
import dev.vitals.model.probe.ProbeReport.Component;
import dev.vitals.model.probe.ProbeStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Whether this replica can do its work: connected to the broker (and its topology declared), and its store
 * answering. When not, each component says why: the broker's the reason the link gives (a refused login, a queue
 * that exists with another type, the connection lost…). A check that throws counts as down, with the exception's message, here and nowhere else.
 */
public final class Readiness {

    private final BooleanSupplier brokerConnected;
    private final Supplier<String> brokerNotReady;
    private final TaskStore store;
    private final QueueMonitor queue;
    private final ApiConfig.Readiness settings;

    /**
     * @param brokerNotReady why the broker link is not ready (the last failure to connect or set up, in one line)
     * @param queue          the backlog and consumers of {@code maintenance_tasks}
     * @param settings       whether no consumer, or too long a backlog, makes the API not ready
     */
    public Readiness(BooleanSupplier brokerConnected, Supplier<String> brokerNotReady, TaskStore store,
                     QueueMonitor queue, ApiConfig.Readiness settings) {
        this.brokerConnected = brokerConnected;
        this.brokerNotReady = brokerNotReady;
        this.store = store;
        this.queue = queue;
        this.settings = settings;
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
        return ProbeReport.of(components);
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
