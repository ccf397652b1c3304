package dev.vitals.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class BrokerAddressTest {

    @Test
    void theVhostUriPercentEncodesTheVhostAndKeepsCredentialsAndQuery() {
        BrokerAddress broker = address("amqp://al%40ice:p%3Ass@broker.example:5673/old?heartbeat=5");

        URI vhost = broker.amqpFor("a/b c%");

        assertThat(vhost).hasToString("amqp://al%40ice:p%3Ass@broker.example:5673/a%2Fb%20c%25?heartbeat=5");
    }

    @Test
    void readsTheUserFromTheUriDecoded() {
        assertThat(address("amqp://al%40ice:p%3Ass@broker.example").user()).isEqualTo("al@ice");
    }

    @Test
    void theUserIsGuestWhenTheUriNamesNone() {
        assertThat(address("amqp://broker.example").user()).isEqualTo("guest");
        assertThat(address("amqp://broker.example").managementCredentials())
                .isEqualTo(new BrokerAddress.Credentials("guest", "guest"));
    }

    @Test
    void theManagementApiUsesTheAmqpCredentialsUnlessItsUriHasItsOwn() {
        BrokerAddress shared = address("amqp://alice:secret@broker.example");
        BrokerAddress own = new BrokerAddress(URI.create("amqp://alice:secret@broker.example"),
                URI.create("http://admin:a%3Ab@broker.example:15672"), "test");

        assertThat(shared.managementCredentials()).isEqualTo(new BrokerAddress.Credentials("alice", "secret"));
        assertThat(own.managementCredentials()).isEqualTo(new BrokerAddress.Credentials("admin", "a:b"));
    }

    @Test
    void theManagementApiIsOnPort15672OfTheBrokersHostByDefault() {
        assertThat(address("amqp://alice:secret@broker.example:5673").management())
                .isEqualTo(URI.create("http://broker.example:15672"));
    }

    @Test
    void knowsWhetherTheBrokerIsOnThisMachine() {
        assertThat(address("amqp://127.0.0.1").isOnThisMachine()).isTrue();
        assertThat(address("amqp://localhost:5672").isOnThisMachine()).isTrue();
        assertThat(address("amqp://broker.invalid").isOnThisMachine()).isFalse();
    }

    @Test
    void hidesThePasswordInMessages() {
        assertThat(address("amqp://alice:secret@broker.example:5672").safeAmqp())
                .isEqualTo("amqp://alice:****@broker.example:5672");
    }

    @Test
    void rejectsAUriThatIsNotAmqp() {
        assertThatThrownBy(() -> address("http://alice:secret@broker.example"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("amqp://")
                .hasMessageNotContaining("secret");
    }

    private static BrokerAddress address(String amqp) {
        return BrokerAddress.withDefaultManagement(URI.create(amqp), "test");
    }
}
