package dev.vitals.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.impl.AMQImpl;
import com.typesafe.config.ConfigFactory;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.RabbitMqExtension;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each way the broker can refuse a Vitals process at start-up, on a real broker: one line, what to do. */
class BrokerFailuresTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    static BrokerSettings settings(URI uri, Map<String, Object> overrides) {
        Map<String, Object> values = new java.util.HashMap<>(overrides);
        values.put("vitals.broker.uri", uri.toString());
        return BrokerSettings.from(ConfigFactory.parseMap(values).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    private static URI withUserInfo(URI uri, String userInfo) {
        return URI.create(uri.getScheme() + "://" + userInfo + "@" + uri.getHost() + ":" + uri.getPort() + uri.getRawPath());
    }

    private static URI withVhost(URI uri, String vhost) {
        return URI.create(uri.getScheme() + "://" + uri.getRawUserInfo() + "@" + uri.getHost() + ":" + uri.getPort() + "/"
                + vhost);
    }

    @Test
    void aWrongPasswordNamesTheUserAndWhereToSetCredentials() {
        BrokerSettings settings = settings(withUserInfo(rabbit.uri(), "guest:not-the-password"), Map.of());

        assertThatThrownBy(() -> BrokerConnection.open(settings, "wrong-password", () -> false))
                .isInstanceOf(BrokerRefusedException.class)
                .hasMessageStartingWith("the broker at amqp://guest:****@")
                .hasMessageContaining("refused the login of user 'guest' (wrong user name or password)")
                .hasMessageContaining("RABBITMQ_URI")
                .hasMessageNotContaining("not-the-password");
    }

    @Test
    void aMissingVhostIsNamedWithTheCommandsThatCreateIt() {
        String vhost = rabbit.vhost() + "-missing";
        BrokerSettings settings = settings(withVhost(rabbit.uri(), vhost), Map.of());

        assertThatThrownBy(() -> BrokerConnection.open(settings, "missing-vhost", () -> false))
                .isInstanceOf(BrokerRefusedException.class)
                .hasMessageContaining("has no vhost '" + vhost + "'")
                .hasMessageContaining("rabbitmqctl add_vhost " + vhost)
                .hasMessageContaining("rabbitmqctl set_permissions -p " + vhost + " guest '.*' '.*' '.*'");
    }

    @Test
    void aUserWithoutPermissionsOnTheVhostIsToldTheCommandThatGrantsThem() {
        BrokerSettings settings = settings(rabbit.uri(), Map.of());

        try (RabbitMqExtension.Outage noPermissions = rabbit.outage(0)) {
            assertThatThrownBy(() -> BrokerConnection.open(settings, "no-permissions", () -> false))
                    .isInstanceOf(BrokerRefusedException.class)
                    .hasMessageStartingWith("user 'guest' has no permissions on vhost '" + rabbit.vhost() + "'")
                    .hasMessageEndingWith("rabbitmqctl set_permissions -p " + rabbit.vhost() + " guest '.*' '.*' '.*'");
        }
    }

    @Test
    void nothingListeningIsNamedWithTheAddress() throws Exception {
        int port = FreePorts.freePort();
        BrokerSettings settings = settings(URI.create("amqp://guest:guest@127.0.0.1:" + port + "/%2f"),
                Map.of("vitals.broker.connection-timeout", "1s"));

        assertThatThrownBy(() -> BrokerConnection.open(settings, "closed-port", () -> false))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(BrokerRefusedException.class)
                .hasMessageStartingWith("nothing accepts connections at 127.0.0.1:" + port)
                .hasMessageContaining("RABBITMQ_URI");
    }

    @Test
    void noNodeOfAClusterListeningNamesEveryNode() throws Exception {
        int first = FreePorts.freePort();
        int second = FreePorts.freePort();
        BrokerSettings settings = settings(URI.create("amqp://guest:guest@127.0.0.1:5672/%2f"), Map.of(
                "vitals.broker.connection-timeout", "1s",
                "vitals.broker.addresses", "127.0.0.1:" + first + ",127.0.0.1:" + second));

        assertThatThrownBy(() -> BrokerConnection.open(settings, "closed-ports", () -> false))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("no node of 127.0.0.1:" + first + ", 127.0.0.1:" + second
                        + " accepts connections")
                .hasMessageContaining("RABBITMQ_URIS");
    }

    @Test
    void aDeclarationTheUserMayNotMakeNamesTheQueueAndTheGrant() {
        IOException refused = new IOException(new ShutdownSignalException(false, false, new AMQImpl.Channel.Close(403,
                "ACCESS_REFUSED - access to queue 'maintenance_tasks' in vhost 'ops' refused for user 'vitals'", 50, 10),
                null));

        assertThat(BrokerFailures.declarationRefused(refused)).get()
                .isInstanceOf(BrokerRefusedException.class)
                .extracting(Throwable::getMessage).asString()
                .startsWith("user 'vitals' may not declare queue 'maintenance_tasks' in vhost 'ops'")
                .endsWith("rabbitmqctl set_permissions -p ops vitals '.*' '.*' '.*'");
    }
}
