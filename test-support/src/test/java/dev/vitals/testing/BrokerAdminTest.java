package dev.vitals.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class BrokerAdminTest {

    private static final String NO_SUCH_COMMAND = "vitals-no-such-rabbitmqctl";

    @Test
    void failsNamingBothWaysWhenNeitherTheManagementApiNorRabbitmqctlWorks() {
        BrokerAddress broker = new BrokerAddress(URI.create("amqp://guest:guest@127.0.0.1:5672"),
                URI.create("http://127.0.0.1:" + BrokerLocatorTest.closedPort()), "test");

        assertThatThrownBy(() -> BrokerAdmin.choose(broker, NO_SUCH_COMMAND))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("management HTTP API at http://127.0.0.1:")
                .hasMessageContaining("did not answer")
                .hasMessageContaining(NO_SUCH_COMMAND + " (it cannot be run")
                .hasMessageContaining("rabbitmq-plugins enable rabbitmq_management")
                .hasMessageContaining("RABBITMQ_MANAGEMENT_URI");
    }

    @Test
    void doesNotUseRabbitmqctlForABrokerOnAnotherMachine() {
        BrokerAddress broker = new BrokerAddress(URI.create("amqp://guest:guest@broker.invalid:5672"),
                URI.create("http://127.0.0.1:" + BrokerLocatorTest.closedPort()), "test");

        assertThatThrownBy(() -> BrokerAdmin.choose(broker, "rabbitmqctl"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the broker is not on this machine");
    }
}
