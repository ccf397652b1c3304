package dev.vitals.broker;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to the broker that heals itself: the first connect is retried with backoff until it
 * works (or the process stops), and later losses are recovered by the client's automatic recovery,
 * which also re-declares the queues, bindings and consumers made on it.
 */
public final class BrokerConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerConnection.class);

    private final Connection connection;
    private volatile boolean connected = true;
    private @Nullable Channel topologyChannel;

    private BrokerConnection(Connection connection) {
        this.connection = connection;
        connection.addShutdownListener(cause -> {
            connected = false;
            if (!cause.isInitiatedByApplication()) {
                log.warn("Lost the broker connection: {}", cause.getMessage());
            }
        });
        ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable recoverable) {
                connected = true;
                log.info("Broker connection recovered");
            }

            @Override
            public void handleRecoveryStarted(Recoverable recoverable) {
                log.info("Reconnecting to the broker");
            }
        });
    }

    /**
     * Connects, retrying with backoff while the broker is unreachable.
     *
     * @param name    the connection's name as the broker shows it
     * @param keepTrying asked before each retry; when it answers false, the last failure is thrown
     * @throws IOException when connecting failed and {@code keepTrying} said stop
     * @throws InterruptedException when interrupted while waiting to retry
     */
    public static BrokerConnection open(BrokerSettings settings, String name, BooleanSupplier keepTrying)
            throws IOException, InterruptedException {
        return open(settings, name, keepTrying, null);
    }

    /**
     * As {@link #open(BrokerSettings, String, BooleanSupplier)}, with the client's own metrics (connections,
     * channels, messages published, consumed, acknowledged…) recorded by {@code metrics}, for example a
     * {@code com.rabbitmq.client.impl.MicrometerMetricsCollector}.
     */
    public static BrokerConnection open(BrokerSettings settings, String name, BooleanSupplier keepTrying,
                                        com.rabbitmq.client.@org.jspecify.annotations.Nullable MetricsCollector metrics)
            throws IOException, InterruptedException {
        ConnectionFactory factory = factory(settings);
        if (metrics != null) {
            factory.setMetricsCollector(metrics);
        }
        Duration delay = settings.reconnectInterval();
        while (true) {
            try {
                Connection connection = factory.newConnection(name);
                log.info("Connected to the broker at {}", settings.safeUri());
                return new BrokerConnection(connection);
            } catch (IOException | TimeoutException e) {
                if (!keepTrying.getAsBoolean()) {
                    throw new IOException("cannot connect to the broker at " + settings.safeUri() + ": "
                            + e.getMessage(), e);
                }
                log.warn("Cannot connect to the broker at {} ({}); retrying in {} ms",
                        settings.safeUri(), e.getMessage(), delay.toMillis());
                Thread.sleep(delay.toMillis());
                delay = min(delay.multipliedBy(2), settings.maxReconnectInterval());
            }
        }
    }

    static ConnectionFactory factory(BrokerSettings settings) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(settings.uri());
            if ("amqps".equals(settings.uri().getScheme())) {
                // setUri alone would trust any certificate; verify the broker's chain and name instead,
                // with the JVM's trust store (javax.net.ssl.trustStore to add a private CA).
                factory.useSslProtocol(SSLContext.getDefault());
                factory.enableHostnameVerification();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("vitals.broker.uri: cannot be used: " + e.getMessage(), e);
        }
        factory.setConnectionTimeout(Math.toIntExact(settings.connectionTimeout().toMillis()));
        factory.setHandshakeTimeout(Math.toIntExact(settings.connectionTimeout().toMillis()));
        factory.setRequestedHeartbeat(Math.toIntExact(Math.max(1, settings.heartbeat().toSeconds())));
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setRecoveryDelayHandler(attempt -> Math.min(
                settings.reconnectInterval().toMillis() << Math.min(attempt - 1, 10),
                settings.maxReconnectInterval().toMillis()));
        return factory;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** True while the connection is open; false from its loss until it is recovered. */
    public boolean isConnected() {
        return connected && connection.isOpen();
    }

    public Channel createChannel() throws IOException {
        Channel channel = connection.createChannel();
        if (channel == null) {
            throw new IOException("the broker has no channel left on this connection");
        }
        return channel;
    }

    /**
     * Declares the shared topology on a channel kept open for the connection's life. Automatic recovery
     * declares again what was declared on a channel that is still open; had the channel been closed, the
     * queues and exchanges would not be declared again after a reconnect (the broker may have lost them).
     */
    public synchronized void declare(Topology topology) throws IOException {
        if (topologyChannel == null || !topologyChannel.isOpen()) {
            topologyChannel = createChannel();
        }
        topology.declare(topologyChannel);
    }

    /** The underlying connection, for listeners and metrics. */
    public Connection connection() {
        return connection;
    }

    @Override
    public void close() {
        try {
            if (connection.isOpen()) {
                connection.close(Math.toIntExact(Duration.ofSeconds(5).toMillis()));
            }
        } catch (IOException | com.rabbitmq.client.AlreadyClosedException e) {
            log.debug("Broker connection was already closing: {}", e.getMessage());
        }
    }
}
