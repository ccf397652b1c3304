package dev.vitals.api.messaging;

import dev.vitals.broker.BrokerConnection;
import dev.vitals.broker.BrokerSettings;
import dev.vitals.broker.Topology;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's one connection to the broker, made in the background so that the API serves reads and
 * probes while the broker is away. Once connected it declares the shared {@link Topology} and starts
 * every {@link BrokerClient}; when that fails (say a queue exists with other arguments) it closes the
 * connection and tries again, so the API never runs half-wired.
 */
public final class BrokerLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerLink.class);

    private final BrokerSettings settings;
    private final String connectionName;
    private final List<BrokerClient> clients;
    private final com.rabbitmq.client.@Nullable MetricsCollector metrics;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile @Nullable BrokerConnection connection;
    private volatile boolean started;
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
        BrokerConnection current = connection;
        return started && current != null && current.isConnected();
    }


    private void connectUntilReady() {
        while (!closing) {
            BrokerConnection opened;
            try {
                opened = BrokerConnection.open(settings, connectionName, () -> !closing, metrics);
            } catch (IOException e) {
                return; // closing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            connection = opened;
            try {
                opened.declare(new Topology(settings));
                for (BrokerClient client : clients) {
                    client.start(opened);
                }
                started = true;
                log.info("Broker topology declared; publishing tasks and consuming events");
                return;
            } catch (IOException | RuntimeException e) {
                log.error("Cannot set up the broker topology at {}: {}; retrying in {}", settings.safeUri(),
                        e.getMessage(), settings.maxReconnectInterval(), e);
                stopClients();
                opened.close();
                connection = null;
                try {
                    if (stopped.await(settings.maxReconnectInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
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
        closing = true;
        stopped.countDown();
        Thread thread;
        synchronized (this) {
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
        started = false;
        stopClients();
        BrokerConnection current = connection;
        if (current != null) {
            current.close();
        }
    }
}
