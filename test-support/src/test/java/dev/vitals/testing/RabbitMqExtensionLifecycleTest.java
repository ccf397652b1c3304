package dev.vitals.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs a test class that uses the extension, then looks at what its run left behind. */
class RabbitMqExtensionLifecycleTest {

    @Test
    void givesTheClassAnEmptyVhostAndDeletesItAndClosesItsConnectionsAfterTheClass() {
        EngineExecutionResults run = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(Scenario.class))
                .execute();

        run.allEvents().assertStatistics(stats -> stats.failed(0).aborted(0).skipped(0));
        run.testEvents().assertStatistics(stats -> stats.succeeded(3));

        assertThat(Scenario.vhost).matches("vitals-test-[0-9a-f]{8}");
        assertThat(Scenario.queuesAtStart).isEmpty();
        assertThat(Scenario.queueDeclared).isTrue();
        assertThat(Scenario.connection.isOpen()).isFalse();
        assertThat(SharedBroker.get().admin().vhostExists(Scenario.vhost)).isFalse();
        ConnectionFactory factory = new ConnectionFactory();
        assertThatThrownBy(() -> {
            factory.setUri(Scenario.uri);
            factory.newConnection().close();
        }).isInstanceOf(IOException.class)
                .hasStackTraceContaining("vhost " + Scenario.vhost + " not found");
    }

    /** Not run on its own (a nested class); run by the test above, it records what it saw. */
    static class Scenario {

        @RegisterExtension
        static final RabbitMqExtension rabbit = new RabbitMqExtension();

        static volatile String vhost;
        static volatile URI uri;
        static volatile List<QueueInfo> queuesAtStart;
        static volatile Connection connection;
        static volatile boolean queueDeclared;

        @Test
        void recordsTheVhost() throws Exception {
            vhost = rabbit.vhost();
            uri = rabbit.uri();
            queuesAtStart = rabbit.queues();
            connection = rabbit.newConnection();
            connection.createChannel().queueDeclare("left-behind", true, false, false, null);
            queueDeclared = true;
        }

        @Test
        void seesTheSameVhostInEveryTest() {
            assertThat(rabbit.vhost()).matches("vitals-test-[0-9a-f]{8}");
        }

        @Test
        void connectsToIt() throws Exception {
            try (Connection own = rabbit.newConnection()) {
                assertThat(own.isOpen()).isTrue();
            }
        }
    }
}
