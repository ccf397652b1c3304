package dev.vitals.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    /** Most declarations of a topology in a row, each after the broker told of one more argument that differs. */
    private static final int MOST_DECLARATION_ROUNDS = 32;

    private final Connection connection;
    private final String address;
    private final String vhost;
    private volatile boolean connected = true;
    private volatile String lossReason = "";
    private @Nullable Channel topologyChannel;

    private BrokerConnection(Connection connection, String address, String vhost) {
        this.connection = connection;
        this.address = address;
        this.vhost = vhost;
        connection.addShutdownListener(cause -> {
            connected = false;
            lossReason = "lost the connection to the broker at " + address + " (" + BrokerFailures.describe(cause)
                    + "); reconnecting";
            if (!cause.isInitiatedByApplication()) {
                log.warn("Lost the broker connection: {}", BrokerFailures.describe(cause));
            }
        });
        ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable recoverable) {
                connected = true;
                log.info("Broker connection recovered, to {}", node());
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
        BrokerConnection connection = openQuietly(settings, name, keepTrying, metrics);
        log.info("Connected to the broker at {}", connection.node());
        return connection;
    }

    /** As {@link #open}, without saying so when connected: {@link #openAndSetUp} says it once set up. */
    private static BrokerConnection openQuietly(BrokerSettings settings, String name, BooleanSupplier keepTrying,
                                                com.rabbitmq.client.@Nullable MetricsCollector metrics)
            throws IOException, InterruptedException {
        ConnectionFactory factory = factory(settings);
        if (metrics != null) {
            factory.setMetricsCollector(metrics);
        }
        Duration delay = settings.reconnectInterval();
        RetryLog retries = new RetryLog(log);
        while (true) {
            try {
                Connection connection = factory.newConnection(settings.nodes(), name);
                return new BrokerConnection(connection, settings.safeUri(), settings.vhost());
            } catch (IOException | TimeoutException e) {
                IOException explained = BrokerFailures.connectFailed(e, settings);
                if (!keepTrying.getAsBoolean()) {
                    throw explained;
                }
                retries.failed(explained, delay);
                Thread.sleep(delay.toMillis());
                delay = min(delay.multipliedBy(2), settings.maxReconnectInterval());
            }
        }
    }

    /** What a process does on a new connection before it counts as connected: declare, start its consumers. */
    @FunctionalInterface
    public interface SetUp<T> {
        /**
         * @throws IOException when the broker refuses something; the connection is then closed and the whole
         *                     tried again. Whatever was started on it must be stopped before throwing.
         */
        T on(BrokerConnection connection) throws IOException;
    }

    /**
     * Connects and sets up, retrying both with backoff ({@code reconnect-interval} doubling up to
     * {@code max-reconnect-interval}) until set-up succeeds or {@code keepTrying} says stop: a broker that is away,
     * refuses the login, or holds a queue with other arguments is waited out, so the process becomes ready on its
     * own once an operator has fixed it. Each failure is logged as one line saying what to do (again only when it
     * changes, or a minute later), and kept in {@code status} for the readiness probes.
     *
     * @throws IOException          the last failure, in one line, when {@code keepTrying} said stop
     * @throws InterruptedException when interrupted while waiting to retry
     */
    public static <T> T openAndSetUp(BrokerSettings settings, String name, BooleanSupplier keepTrying,
                                     com.rabbitmq.client.@Nullable MetricsCollector metrics, BrokerStatus status,
                                     SetUp<T> setUp) throws IOException, InterruptedException {
        RetryLog retries = new RetryLog(log);
        Duration delay = settings.reconnectInterval();
        while (true) {
            @Nullable BrokerConnection connection = null;
            try {
                connection = openQuietly(settings, name, () -> false, metrics);
                T result = setUp.on(connection);
                status.ready(connection);
                log.info("Connected to the broker at {}", connection.node());
                return result;
            } catch (IOException | RuntimeException e) {
                if (connection != null) {
                    connection.close();
                }
                IOException explained = e instanceof IOException io && io.getMessage() != null ? io
                        : new IOException("cannot set up on the broker at " + settings.safeUri() + ": "
                                + BrokerFailures.describe(e), e);
                if (e instanceof RuntimeException) {
                    log.debug("Set-up failed", e);
                }
                status.failed(explained.getMessage());
                if (!keepTrying.getAsBoolean()) {
                    throw explained;
                }
                retries.failed(explained, delay);
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

    /**
     * The node this connection is open to, {@code host:port}: with several nodes listed, the one that took the
     * connection or its last recovery.
     */
    public String node() {
        return connection.getAddress().getHostAddress() + ":" + connection.getPort();
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
     * Declares the shared topology, see {@link #declare(List)}. With the queues' limits left to policies, says
     * which policies give them.
     */
    public List<String> declare(Topology topology) throws IOException {
        List<String> adjusted = declare(topology.declarations());
        if (topology.limitsLeftToPolicies()) {
            log.info("vitals.broker.queue-limits = policy: {} and {} take their limits from policies, which an operator"
                    + " sets (without them a task that fails on every worker is redelivered forever and the queue grows"
                    + " without bound): {}", Topology.TASK_QUEUE, Topology.DEAD_LETTER_QUEUE,
                    String.join("; ", topology.policyCommands()));
        }
        return adjusted;
    }

    /**
     * Declares these in order on a channel kept open for the connection's life: automatic recovery declares again
     * what was declared on a channel that is still open (had it been closed, the queues and exchanges would not be
     * declared again after a reconnect, and the broker may have lost them).
     *
     * <p>A queue that exists with other {@link Declaration.Queue#adjustable adjustable} arguments (limits) is used
     * as it is: when the broker refuses a declaration (406, which closes the channel), the argument it names is
     * declared as the queue has it, and everything again on a fresh channel, until the broker accepts. What differs
     * is then logged, one line per queue, with the policy that gives the queue what it lacks.
     *
     * @return those lines, one per queue used with other arguments than declared; empty when none was
     * @throws TopologyConflictException when an exchange's type or durability, or a queue's required argument
     *                                    ({@code x-queue-type}) or durability, differs: one line naming both values and what to do
     * @throws BrokerRefusedException     when the user may not declare them
     */
    public synchronized List<String> declare(List<Declaration> declarations) throws IOException {
        List<String> adjusted = new ArrayList<>();
        topologyChannel = declareOn(topologyChannel, declarations, adjusted);
        return adjusted;
    }

    /**
     * Declares these as {@link #declare(List)} does, on a channel of their own, and returns that channel: what is
     * consumed from there is recovered with it. A queue whose recovery fails (a classic queue whose node is down)
     * then closes only that channel, not the one that recovers the shared topology.
     */
    public Channel declareOnChannelOfItsOwn(List<Declaration> declarations) throws IOException {
        return declareOn(null, declarations, new ArrayList<>());
    }

    /** Declares these on {@code channel} (a new one when null or closed) and returns the channel they ended on. */
    private Channel declareOn(@Nullable Channel channel, List<Declaration> declarations, List<String> adjusted)
            throws IOException {
        Map<String, Map<String, Object>> asDeclared = new HashMap<>();
        for (Declaration declaration : declarations) {
            if (declaration instanceof Declaration.Queue queue) {
                asDeclared.put(queue.name(), new HashMap<>(queue.arguments()));
            }
        }
        Set<Inequivalence> adopted = new HashSet<>();
        for (int round = 1; ; round++) {
            if (channel == null || !channel.isOpen()) {
                channel = createChannel();
            }
            try {
                for (Declaration declaration : declarations) {
                    Topology.declareOn(channel, declaration, declaration instanceof Declaration.Queue queue
                            ? asDeclared.get(queue.name()) : null);
                }
                adjusted.addAll(adjustments(declarations, asDeclared));
                return channel;
            } catch (IOException e) {
                forget(channel);
                channel = null;
                Optional<String> inequivalent = BrokerFailures.closeText(e, AMQP.PRECONDITION_FAILED);
                Optional<Inequivalence> refused = inequivalent.flatMap(Inequivalence::parse);
                if (refused.isEmpty() || round >= MOST_DECLARATION_ROUNDS || !adopted.add(refused.get())
                        || !adopt(refused.get(), declarations, asDeclared)) {
                    throw BrokerFailures.declarationRefused(e).orElseGet(() -> e.getMessage() != null ? e
                            : new IOException("the broker refused a declaration: " + BrokerFailures.describe(e), e));
                }
            }
        }
    }

    /**
     * Declares a queue's differing argument as the queue has it, when that argument is one of its adjustable
     * ones (or one Vitals does not declare at all); false when it is required (or a property such as durability),
     * or its value cannot be declared as the broker printed it.
     */
    private static boolean adopt(Inequivalence refused, List<Declaration> declarations,
                                 Map<String, Map<String, Object>> asDeclared) {
        if (!refused.kind().equals("queue") || refused.isProperty()) {
            return false;
        }
        Declaration.Queue queue = declarations.stream()
                .filter(d -> d instanceof Declaration.Queue q && q.name().equals(refused.name()))
                .map(Declaration.Queue.class::cast).findFirst().orElse(null);
        if (queue == null || queue.required().containsKey(refused.argument())) {
            return false;
        }
        Map<String, Object> arguments = asDeclared.get(queue.name());
        if (refused.current().isEmpty()) {
            arguments.remove(refused.argument());
            return true;
        }
        Optional<Object> value = refused.currentValueLike(arguments.get(refused.argument()));
        value.ifPresent(v -> arguments.put(refused.argument(), v));
        return value.isPresent();
    }

    /** One line per queue declared with other arguments than its own, logged as it is returned. */
    private List<String> adjustments(List<Declaration> declarations, Map<String, Map<String, Object>> asDeclared) {
        List<String> lines = new ArrayList<>();
        for (Declaration declaration : declarations) {
            if (declaration instanceof Declaration.Queue queue) {
                Map<String, Object> kept = asDeclared.get(queue.name());
                TopologyAdvice.adjusted(vhost, queue.name(), queue.arguments(), kept).ifPresent(line -> {
                    lines.add(line);
                    if (TopologyAdvice.losesSafety(queue.arguments(), kept)) {
                        log.warn(line);
                    } else {
                        log.info(line);
                    }
                });
            }
        }
        return lines;
    }

    /**
     * Lets go of a channel the broker closed: without a close of its own, the client's recovery would open it
     * again with every recovered connection.
     */
    private static void forget(@Nullable Channel closedByBroker) {
        if (closedByBroker == null) {
            return;
        }
        try {
            closedByBroker.close();
        } catch (IOException | TimeoutException | com.rabbitmq.client.AlreadyClosedException e) {
            // closed already, as expected
        }
    }

    /** Why the connection is not open now, while it is recovered. */
    String lossReason() {
        return connected && connection.isOpen() ? "" : lossReason.isEmpty()
                ? "the connection to the broker at " + address + " is closed" : lossReason;
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
