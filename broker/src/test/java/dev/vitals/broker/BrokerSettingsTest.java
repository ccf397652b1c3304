package dev.vitals.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Address;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerSettingsTest {

    private static BrokerSettings settings(Map<String, String> values) {
        return BrokerSettings.from(ConfigFactory.parseMap(values).withFallback(ConfigFactory.defaultReference())
                .resolve());
    }

    @Test
    void withoutAddressesTheNodeIsTheUris() {
        BrokerSettings settings = settings(Map.of("vitals.broker.uri", "amqp://u:p@mq.example/prod"));

        assertThat(settings.nodes()).containsExactly(new Address("mq.example", 5672));
        assertThat(settings.vhost()).isEqualTo("prod");
        assertThat(settings.safeUri()).isEqualTo("amqp://u:****@mq.example/prod");
    }

    @Test
    void addressesOfUrisListEveryNodeAndTakeLoginAndVhostFromThem() {
        BrokerSettings settings = settings(Map.of("vitals.broker.addresses",
                "amqp://u:p@h1:5701/v, amqp://u:p@h2:5702/v,amqp://u:p@h3/v"));

        assertThat(settings.nodes()).containsExactly(new Address("h1", 5701), new Address("h2", 5702),
                new Address("h3", 5672));
        assertThat(settings.user()).isEqualTo("u");
        assertThat(settings.vhost()).isEqualTo("v");
        assertThat(settings.safeUri()).isEqualTo("amqp://u:****@h1:5701/v (or h2:5702, h3:5672)");
        assertThat(settings.nodeList()).isEqualTo("h1:5701, h2:5702, h3:5672");
    }

    @Test
    void hostPortEntriesTakeSchemeLoginAndVhostFromTheUri() {
        BrokerSettings settings = settings(Map.of("vitals.broker.uri", "amqps://u:p@ignored:5671/v",
                "vitals.broker.addresses", "h1:5701,h2"));

        assertThat(settings.nodes()).containsExactly(new Address("h1", 5701), new Address("h2", 5671));
        assertThat(settings.uri().toString()).isEqualTo("amqps://u:p@h1:5701/v");
        assertThat(settings.vhost()).isEqualTo("v");
    }

    @Test
    void nodesWithDifferentLoginsOrVhostsAreRefusedWithoutThePasswords() {
        assertThatThrownBy(() -> settings(Map.of("vitals.broker.addresses",
                "amqp://u:secret@h1/a,amqp://u:secret@h2/b")))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("vitals.broker.addresses")
                .hasMessageContaining("different schemes, logins or virtual hosts")
                .hasMessageNotContaining("secret");
    }

    @Test
    void badEntriesAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> settings(Map.of("vitals.broker.addresses", "amqp://h1,,amqp://h2")))
                .hasMessageContaining("vitals.broker.addresses").hasMessageContaining("empty entry");
        assertThatThrownBy(() -> settings(Map.of("vitals.broker.addresses", "http://h1")))
                .hasMessageContaining("vitals.broker.addresses").hasMessageContaining("amqp://");
    }
}
