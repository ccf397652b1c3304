package dev.vitals.api.messaging;

import dev.vitals.broker.BrokerConnection;
import dev.vitals.broker.BrokerSettings;
import dev.vitals.broker.BrokerStatus;
import dev.vitals.broker.Topology;
import java.io.IOException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's one connection to the broker, made in the background so that the API serves reads and
 * probes while the broker is away. Once connected it declares the shared {@link Topology} and starts
 * every {@link BrokerClient}; when that fails (the login refused, a queue that exists with another type…) it stops
 * the clients, closes the connection and tries again with backoff, so the API never runs half-wired and becomes
 * ready on its own once the cause is gone. Why it is not ready is kept in its {@link #status()}.
 */
public final class BrokerLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerLink.class);

    private final BrokerSettings settings;
    private final String connectionName;
    private final List<BrokerClient> clients;
    private final com.rabbitmq.client.@Nullable MetricsCollector metrics;
    private final BrokerStatus status;
    private volatile @Nullable BrokerConnection connection;
    private volatile boolean closing;
    private @Nullable Thread connector;

    /**
     * @param connectionName how the broker shows the connection
     * @param clients        started in this order once the topology is declared, stopped in reverse
     */
    public BrokerLink(BrokerSettings settings, String connectionName, List<BrokerClient> clients) {
        this(settings, connectionName, clients, null);
    }

    /** @param metrics records the RabbitMQ client's own metrics; may be null */
    public BrokerLink(BrokerSettings settings, String connectionName, List<BrokerClient> clients,
                      com.rabbitmq.client.@Nullable MetricsCollector metrics) {
        this.settings = settings;
        this.connectionName = connectionName;
        this.clients = List.copyOf(clients);
        this.metrics = metrics;
        this.status = new BrokerStatus(settings.safeUri());
    }

    /** Starts connecting on a thread of its own; returns at once. */
    public synchronized void connectInBackground() {
        if (connector != null) {
            throw new IllegalStateException("already connecting");
        }
        connector = Thread.ofPlatform().name("vitals-broker-connect").daemon().start(this::connectUntilReady);
    }

    /** True when connected and every client started; false before, while the connection is lost, and after close. */
    public boolean isConnected() {
        return !closing && status.isReady();
    }

    /** Whether connected, and if not, why (for the readiness probe). */
    public BrokerStatus status() {
        return status;
    }

    private void connectUntilReady() {
        BrokerConnection opened;
        try {
            opened = BrokerConnection.openAndSetUp(settings, connectionName, () -> !closing, metrics, status,
                    this::startClients);
        } catch (IOException e) {
            return; // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            if (closing) { // close() may have given up waiting for this thread: stop what was started here
                stopClients();
                opened.close();
                return;
            }
            connection = opened;
        }
        log.info("Broker topology declared; publishing tasks and consuming events");
    }

    /** Declares the topology and starts every client on a new connection; stops them again when one fails. */
    private BrokerConnection startClients(BrokerConnection opened) throws IOException {
        try {
            opened.declare(new Topology(settings));
            for (BrokerClient client : clients) {
                client.start(opened);
            }
            return opened;
        } catch (IOException | RuntimeException e) {
            stopClients();
            throw e;
        }
    }

    private void stopClients() {
        for (int i = clients.size() - 1; i >= 0; i--) {
            try {
                clients.get(i).stop();
            } catch (RuntimeException e) {
                log.warn("Stopping {} failed: {}", clients.get(i).getClass().getSimpleName(), e.getMessage());
            }
        }
    }

    /** Stops connecting, stops every client (consumers first), closes the connection. */
    @Override
    public void close() {
        Thread thread;
        synchronized (this) {
            closing = true;
            thread = connector;
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(settings.connectionTimeout().toMillis() + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        status.closed();
        stopClients();
        BrokerConnection current;
        synchronized (this) {
            current = connection;
        }
        if (current != null) {
            current.close();
        }
    }
}
