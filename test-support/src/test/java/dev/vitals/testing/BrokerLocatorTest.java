package dev.vitals.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class BrokerLocatorTest {

    private static final BooleanSupplier DOCKER_MUST_NOT_BE_ASKED = () -> {
        throw new AssertionError("Docker was asked for");
    };
    private static final Supplier<BrokerAddress> CONTAINER_MUST_NOT_START = () -> {
        throw new AssertionError("A container was started");
    };
    private static final BrokerAddress CONTAINER = new BrokerAddress(
            URI.create("amqp://admin:admin@localhost:32768"), URI.create("http://localhost:32769"), "container");

    @Test
    void takesTheBrokerThatRabbitmqUriNames() throws IOException {
        try (ServerSocket localBroker = listening()) {
            BrokerAddress found = new BrokerLocator(
                    Map.of("RABBITMQ_URI", "amqp://alice:secret@broker.example:5673/ignored"),
                    address(localBroker), DOCKER_MUST_NOT_BE_ASKED, CONTAINER_MUST_NOT_START).locate();

            assertThat(found.amqp()).isEqualTo(URI.create("amqp://alice:secret@broker.example:5673/ignored"));
            assertThat(found.management()).isEqualTo(URI.create("http://broker.example:15672"));
            assertThat(found.source()).contains("RABBITMQ_URI");
        }
    }

    @Test
    void takesTheManagementApiThatRabbitmqManagementUriNames() {
        BrokerAddress found = new BrokerLocator(
                Map.of("RABBITMQ_URI", "amqp://broker.example",
                        "RABBITMQ_MANAGEMENT_URI", "https://admin:pw@manage.example:443/rabbit"),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort()),
                DOCKER_MUST_NOT_BE_ASKED, CONTAINER_MUST_NOT_START).locate();

        assertThat(found.management()).isEqualTo(URI.create("https://admin:pw@manage.example:443/rabbit"));
    }

    @Test
    void takesTheBrokerListeningOnThisMachineWhenRabbitmqUriIsNotSet() throws IOException {
        try (ServerSocket localBroker = listening()) {
            BrokerAddress found = new BrokerLocator(Map.of(), address(localBroker),
                    DOCKER_MUST_NOT_BE_ASKED, CONTAINER_MUST_NOT_START).locate();

            assertThat(found.amqp()).isEqualTo(URI.create("amqp://guest:guest@127.0.0.1:" + localBroker.getLocalPort()));
            assertThat(found.management()).isEqualTo(URI.create("http://127.0.0.1:15672"));
        }
    }

    @Test
    void startsAContainerWhenNothingListensAndDockerIsAvailable() {
        BrokerAddress found = new BrokerLocator(Map.of(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort()),
                () -> true, () -> CONTAINER).locate();

        assertThat(found).isSameAs(CONTAINER);
    }

    @Test
    void failsSayingHowToGetABrokerWhenThereIsNone() {
        BrokerLocator locator = new BrokerLocator(Map.of(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort()),
                () -> false, CONTAINER_MUST_NOT_START);

        assertThatThrownBy(locator::locate)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("export RABBITMQ_URI=")
                .hasMessageContaining("apt-get install rabbitmq-server && rabbitmq-server -detached")
                .hasMessageContaining("start a Docker engine");
    }

    private static ServerSocket listening() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
    }

    private static InetSocketAddress address(ServerSocket socket) {
        return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }

    /** A port nothing listens on: one that was just free, closed again. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
