package dev.vitals.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one broker of this JVM, located on first use and reused by every test class, as is the failure
 * to find one: the search, which may ask Docker, is not repeated for each class.
 */
final class SharedBroker {

    private static final Logger log = LoggerFactory.getLogger(SharedBroker.class);
    private static final String RABBITMQCTL = "rabbitmqctl";

    private static Broker broker;
    private static RuntimeException failure;

    /** A located broker and how it is administered. */
    record Broker(BrokerAddress address, BrokerAdmin admin) {}

    private SharedBroker() {
    }

    /**
     * @throws IllegalStateException when there is no broker, or no way to administer it, saying why
     */
    static synchronized Broker get() {
        if (broker == null && failure == null) {
            try {
                BrokerAddress address = BrokerLocator.forThisMachine().locate();
                BrokerAdmin admin = BrokerAdmin.choose(address, RABBITMQCTL);
                log.info("Tests use the RabbitMQ at {} (found through {}), administered through {}",
                        address.safeAmqp(), address.source(), admin.description());
                broker = new Broker(address, admin);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
        return broker;
    }
}
