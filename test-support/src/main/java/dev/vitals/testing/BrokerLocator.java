package dev.vitals.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Finds a RabbitMQ for the tests, in this order: the one {@value #URI_VARIABLE} names; one listening
 * on this machine's port 5672; one started in Docker by Testcontainers. Fails, with instructions,
 * when there is none: a test that needs a broker must not pass without one.
 */
final class BrokerLocator {

    static final String URI_VARIABLE = "RABBITMQ_URI";
    static final String MANAGEMENT_URI_VARIABLE = "RABBITMQ_MANAGEMENT_URI";
    /** The loopback address rather than "localhost", which may resolve to ::1 where the broker does not listen. */
    static final InetSocketAddress LOCAL_BROKER = new InetSocketAddress("127.0.0.1", 5672);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final Map<String, String> environment;
    private final InetSocketAddress localBroker;
    private final BooleanSupplier dockerAvailable;
    private final Supplier<BrokerAddress> startContainer;

    /**
     * @param environment     the environment variables to read {@value #URI_VARIABLE} and
     *                        {@value #MANAGEMENT_URI_VARIABLE} from
     * @param localBroker     where a broker on this machine would listen
     * @param dockerAvailable whether a container can be started
     * @param startContainer  starts a broker in a container
     */
    BrokerLocator(Map<String, String> environment, InetSocketAddress localBroker,
                  BooleanSupplier dockerAvailable, Supplier<BrokerAddress> startContainer) {
        this.environment = environment;
        this.localBroker = localBroker;
        this.dockerAvailable = dockerAvailable;
        this.startContainer = startContainer;
    }

    /** The locator for this machine: its environment, port 5672, and Docker through Testcontainers. */
    static BrokerLocator forThisMachine() {
        return new BrokerLocator(System.getenv(), LOCAL_BROKER,
                RabbitMqContainer::dockerAvailable, RabbitMqContainer::start);
    }

    /**
     * @throws IllegalStateException when no broker can be found, saying how to provide one
     */
    BrokerAddress locate() {
        String uri = environment.get(URI_VARIABLE);
        if (uri != null && !uri.isBlank()) {
            return withManagement(URI.create(uri.strip()), "environment variable " + URI_VARIABLE);
        }
        if (answers(localBroker)) {
            URI local = URI.create("amqp://" + BrokerAddress.DEFAULT_USER + ":" + BrokerAddress.DEFAULT_PASSWORD
                    + "@" + localBroker.getHostString() + ":" + localBroker.getPort());
            return withManagement(local, "a broker listening on " + localBroker.getHostString()
                    + ":" + localBroker.getPort());
        }
        if (dockerAvailable.getAsBoolean()) {
            return startContainer.get();
        }
        throw new IllegalStateException("""
                These tests need a real RabbitMQ and found none: %s is not set, nothing listens on %s:%d, \
                and Docker is not available to Testcontainers. Provide one of:
                  - an existing broker: export %s=amqp://user:password@host:5672 \
                (and %s=http://user:password@host:15672 if its management API is elsewhere)
                  - a local broker: apt-get install rabbitmq-server && rabbitmq-server -detached \
                (and rabbitmq-plugins enable rabbitmq_management)
                  - Docker: start a Docker engine; Testcontainers will then run %s"""
                .formatted(URI_VARIABLE, localBroker.getHostString(), localBroker.getPort(),
                        URI_VARIABLE, MANAGEMENT_URI_VARIABLE, RabbitMqContainer.IMAGE));
    }

    private BrokerAddress withManagement(URI amqp, String source) {
        String management = environment.get(MANAGEMENT_URI_VARIABLE);
        if (management != null && !management.isBlank()) {
            return new BrokerAddress(amqp, URI.create(management.strip()), source);
        }
        return BrokerAddress.withDefaultManagement(amqp, source);
    }

    private static boolean answers(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) PROBE_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
