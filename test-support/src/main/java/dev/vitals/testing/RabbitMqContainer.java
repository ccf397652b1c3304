package dev.vitals.testing;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.rabbitmq.RabbitMQContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A broker in Docker, for machines without one of their own. Kept apart so that Testcontainers is
 * loaded only when it is needed.
 */
final class RabbitMqContainer {

    static final String IMAGE = "rabbitmq:3.13-management";

    private RabbitMqContainer() {
    }

    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /**
     * Starts the container. It is never stopped here: it serves every test class of the JVM, and
     * Testcontainers removes it when the JVM exits.
     */
    @SuppressWarnings("resource")
    static BrokerAddress start() {
        RabbitMQContainer container = new RabbitMQContainer(DockerImageName.parse(IMAGE));
        container.start();
        URI amqp = URI.create("amqp://" + BrokerAddress.encode(container.getAdminUsername()) + ":"
                + BrokerAddress.encode(container.getAdminPassword()) + "@" + container.getHost() + ":"
                + container.getAmqpPort());
        return new BrokerAddress(amqp, URI.create(container.getHttpUrl()), "Testcontainers " + IMAGE);
    }
}
