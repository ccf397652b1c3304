package dev.vitals.testing;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real RabbitMQ for a test class, in a vhost of its own.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RabbitMqExtension rabbit = new RabbitMqExtension();
 * }</pre>
 *
 * <p>The broker is found once per JVM, in this order: the one the environment variable
 * {@code RABBITMQ_URI} names; one listening on 127.0.0.1:5672; one Testcontainers starts in Docker
 * ({@code rabbitmq:3.13-management}). When there is none the test class fails, saying how to provide one;
 * it is never skipped.
 *
 * <p>Before the class a fresh vhost {@code vitals-test-<8 hex digits>} is created, with every permission
 * for the URI's user; after the class the connections from {@link #newConnection()} are closed and the
 * vhost is deleted with everything in it. Vhosts are created through the management HTTP API (at port
 * 15672 of the broker's host, or where {@code RABBITMQ_MANAGEMENT_URI} says), or, when it does not answer
 * and the broker is on this machine, through {@code rabbitmqctl}. {@code @Nested} classes share the vhost
 * of their enclosing class.
 *
 * <p>The accessors may be used from the class's {@code @BeforeAll} methods and tests, not before.
 */
public final class RabbitMqExtension implements BeforeAllCallback, AfterAllCallback {

    private static final Logger log = LoggerFactory.getLogger(RabbitMqExtension.class);
    private static final String VHOST_PREFIX = "vitals-test-";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How long a new connection may take to show in the management API: its statistics interval and more. */
    public static final Duration CONNECTIONS_SHOW_WITHIN = Duration.ofSeconds(15);

    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final Set<String> closedConnections = ConcurrentHashMap.newKeySet();
    private volatile SharedBroker.Broker broker;
    private volatile String vhost;
    private volatile String testClass;
    private int depth;

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        open(context.getRequiredTestClass().getSimpleName());
    }

    /**
     * Makes the vhost as {@code beforeAll} does, for test engines that do not run JUnit Jupiter extensions
     * (jqwik properties): call it before the tests and {@link #close()} after them.
     *
     * @param owner names the connections, usually the test class's simple name
     */
    public synchronized void open(String owner) {
        if (vhost != null) {
            depth++;
            return;
        }
        SharedBroker.Broker shared = SharedBroker.get();
        String name = VHOST_PREFIX + HexFormat.of().toHexDigits(RANDOM.nextInt());
        shared.admin().createVhost(name, shared.address().user());
        broker = shared;
        vhost = name;
        testClass = owner;
        depth = 1;
        log.debug("Created vhost {} for {}", name, testClass);
        checkVhostAccepted();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        close();
    }

    /** Deletes the vhost made by {@link #open(String)}, as {@code afterAll} does. */
    public synchronized void close() {
        if (vhost == null || --depth > 0) {
            return;
        }
        release();
    }

    /** Closes the connections and deletes the vhost. */
    private void release() {
        String name = vhost;
        vhost = null;
        List<Exception> failures = new ArrayList<>();
        for (Connection connection : connections) {
            try {
                if (connection.isOpen()) {
                    connection.close();
                }
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        }
        connections.clear();
        broker.admin().deleteVhost(name);
        log.debug("Deleted vhost {} of {}", name, testClass);
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException(
                    failures.size() + " connection(s) to vhost " + name + " failed to close");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    /** The vhost of the current test class, {@code vitals-test-} and 8 hex digits. */
    public String vhost() {
        String name = vhost;
        if (name == null) {
            throw new IllegalStateException("RabbitMqExtension has no vhost now: register it with "
                    + "@RegisterExtension on a static field and use it in tests or @BeforeAll methods");
        }
        return name;
    }

    /**
     * The AMQP URI of the current test class's vhost, with the broker's credentials and the vhost
     * percent-encoded as its path.
     */
    public URI uri() {
        String name = vhost();
        return broker.address().amqpFor(name);
    }

    /**
     * A new connection to the current test class's vhost, with the client's default settings (automatic
     * recovery on). It is closed after the class, if still open; it may be closed earlier.
     */
    public Connection newConnection() throws IOException, TimeoutException {
        ConnectionFactory factory = factory();
        Connection connection = factory.newConnection(testClass + "-" + (connections.size() + 1));
        connections.add(connection);
        return connection;
    }

    /**
     * The queue {@code name} of the current test class's vhost, as the broker reports it; empty when there
     * is none. Through the management API the counts lag the broker by up to its statistics interval
     * (5 s by default): poll for the value you expect.
     */
    public Optional<QueueInfo> queue(String name) {
        return broker.admin().queue(vhost(), name);
    }

    /** The queues of the current test class's vhost, in no particular order; with the lag {@link #queue} has. */
    public List<QueueInfo> queues() {
        return broker.admin().queues(vhost());
    }

    /**
     * The client connections open to this class's vhost (every process under test uses it), by the names
     * the clients gave them. A new connection shows after up to the broker's statistics interval.
     */
    public List<String> connections() {
        return broker.admin().connections(vhost()).stream()
                .filter(connection -> !closedConnections.contains(connection.name()))
                .map(BrokerAdmin.ClientConnection::clientName).toList();
    }

    /**
     * Closes the client connections to this class's vhost whose client name contains {@code nameContains}
     * (every one for {@code ""}) through the broker, as a network fault or an operator would: the clients see
     * the broker close them and recover on their own. Waits up to {@link #CONNECTIONS_SHOW_WITHIN} for
     * {@code expected} such connections to show (the management API learns of new ones late), then closes them.
     *
     * @throws IllegalStateException when fewer than {@code expected} show in time
     */
    public void closeConnections(String nameContains, int expected) {
        Instant deadline = Instant.now().plus(CONNECTIONS_SHOW_WITHIN);
        List<BrokerAdmin.ClientConnection> matching;
        while (true) {
            matching = broker.admin().connections(vhost()).stream()
                    .filter(connection -> !closedConnections.contains(connection.name()))
                    .filter(connection -> connection.clientName().contains(nameContains)).toList();
            if (matching.size() >= expected) {
                break;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("expected " + expected + " connection(s) named *" + nameContains
                        + "* to vhost " + vhost() + " within " + CONNECTIONS_SHOW_WITHIN + ", found " + matching);
            }
            pause();
        }
        for (BrokerAdmin.ClientConnection connection : matching) {
            broker.admin().closeConnection(connection.name());
            closedConnections.add(connection.name());
        }
    }

    /**
     * Makes the broker unavailable to this class's vhost until the returned outage is closed: the user
     * loses its permissions on the vhost (new connections are refused) and the {@code expectedConnections}
     * open ones are closed (see {@link #closeConnections}). Closing the outage gives the permissions back;
     * use it in try-with-resources so they always come back. The broker keeps running for everyone else,
     * and the queues keep their messages.
     */
    public Outage outage(int expectedConnections) {
        String name = vhost();
        String user = broker.address().user();
        broker.admin().clearPermissions(name, user);
        try {
            closeConnections("", expectedConnections);
        } catch (RuntimeException e) {
            broker.admin().grantPermissions(name, user);
            throw e;
        }
        return () -> broker.admin().grantPermissions(name, user);
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker's connections", e);
        }
    }

    /** A broker outage in progress; {@link #close()} ends it. */
    @FunctionalInterface
    public interface Outage extends AutoCloseable {
        @Override
        void close();
    }

    private ConnectionFactory factory() {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot connect to " + BrokerAddress.redact(uri()) + ": " + e, e);
        }
        return factory;
    }

    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    /**
     * {@code rabbitmqctl} administers the node {@code RABBITMQ_NODENAME} names, which need not be the broker
     * the URI names; connecting proves the vhost was made where the tests will look for it.
     */
    private void checkVhostAccepted() {
        try {
            factory().newConnection(testClass + "-check").close();
        } catch (IOException | TimeoutException e) {
            String name = vhost;
            release();
            throw new IllegalStateException("Created vhost " + name + " through " + broker.admin().description()
                    + ", but the broker at " + broker.address().safeAmqp() + " refuses connections to it ("
                    + rootCause(e) + "). If that is rabbitmqctl, it administers the node RABBITMQ_NODENAME names, "
                    + "by default this machine's own: set RABBITMQ_NODENAME, or set "
                    + BrokerLocator.MANAGEMENT_URI_VARIABLE + " to the broker's management API.", e);
        }
    }
}
