package dev.vitals.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.ConnectionFactory;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConnectionTest {

    private static BrokerSettings settings(String uri) {
        return BrokerSettings.from(ConfigFactory.parseMap(Map.of("vitals.broker.uri", uri))
                .withFallback(ConfigFactory.defaultReference()).resolve());
    }

    @Test
    void amqpsUsesTlsWithTheJvmTrustStore() {
        ConnectionFactory factory = BrokerConnection.factory(settings("amqps://user:secret@mq.example:5671/%2f"));

        assertThat(factory.isSSL()).isTrue();
        assertThat(factory.getPort()).isEqualTo(5671);
        assertThat(factory.getHost()).isEqualTo("mq.example");
    }

    @Test
    void amqpIsPlain() {
        ConnectionFactory factory = BrokerConnection.factory(settings("amqp://guest:guest@localhost:5672/%2f"));

        assertThat(factory.isSSL()).isFalse();
        assertThat(factory.getVirtualHost()).isEqualTo("/");
    }

    @Test
    void settingsAreAppliedToTheClient() {
        ConnectionFactory factory = BrokerConnection.factory(settings("amqp://guest:guest@localhost:5672/%2f"));

        assertThat(factory.getConnectionTimeout()).isEqualTo(5_000);
        assertThat(factory.getRequestedHeartbeat()).isEqualTo(10);
        assertThat(factory.isAutomaticRecoveryEnabled()).isTrue();
        assertThat(factory.isTopologyRecoveryEnabled()).isTrue();
    }
}
