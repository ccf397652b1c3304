package dev.vitals.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code rabbitmqctl}, which the tests fall back to when the broker's management API is off (Debian's default):
 * it must close a connection as the management API does, or the tests that drop connections time out.
 */
class RabbitmqctlTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @Test
    void findsAConnectionsProcessIdByItsNameInThePlainListing() {
        String listing = """
                pid\tname
                <rabbit@localhost.1796289999.30138.0>\t127.0.0.1:48620 -> 127.0.0.1:5672
                <rabbit@localhost.1796289999.30237.0>\t127.0.0.1:52054 -> 127.0.0.1:5672
                """;

        assertThat(Rabbitmqctl.connectionPid(listing, "127.0.0.1:52054 -> 127.0.0.1:5672"))
                .contains("<rabbit@localhost.1796289999.30237.0>");
        assertThat(Rabbitmqctl.connectionPid(listing, "127.0.0.1:1 -> 127.0.0.1:5672")).isEqualTo(Optional.empty());
    }

    @Test
    void closesAConnectionByTheNameItLists() throws Exception {
        Rabbitmqctl ctl = new Rabbitmqctl("rabbitmqctl");
        Optional<String> problem = ctl.problem();
        assumeTrue(problem.isEmpty(), () -> "rabbitmqctl cannot administer the broker here: " + problem.orElse(""));
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(rabbit.uri());
        factory.setAutomaticRecoveryEnabled(false);
        Connection connection = factory.newConnection("closed-by-rabbitmqctl");
        try {
            BrokerAdmin.ClientConnection listed = await().atMost(Duration.ofSeconds(10))
                    .until(() -> ctl.connections(rabbit.vhost()).stream()
                            .filter(c -> c.clientName().equals("closed-by-rabbitmqctl")).findFirst().orElse(null),
                            found -> found != null);

            ctl.closeConnection(listed.name());

            await().atMost(Duration.ofSeconds(10)).until(() -> !connection.isOpen());
        } finally {
            if (connection.isOpen()) {
                connection.close();
            }
        }
    }
}
