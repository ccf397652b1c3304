package dev.vitals.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.MessageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RabbitMqExtensionTest {

    /** Longer than the management API's default statistics interval of 5 s. */
    private static final Duration STATISTICS = Duration.ofSeconds(20);

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    /** A second vhost, in which no test declares anything. */
    @RegisterExtension
    static final RabbitMqExtension other = new RabbitMqExtension();

    private static String vhostBeforeAll;

    @BeforeAll
    static void rememberTheVhost() {
        vhostBeforeAll = rabbit.vhost();
    }

    @Test
    void namesAFreshVhostForTheClass() {
        assertThat(rabbit.vhost()).matches("vitals-test-[0-9a-f]{8}");
        assertThat(other.vhost()).matches("vitals-test-[0-9a-f]{8}").isNotEqualTo(rabbit.vhost());
    }

    @Test
    void theVhostExistsAndStartsEmpty() {
        assertThat(SharedBroker.get().admin().vhostExists(rabbit.vhost())).isTrue();
        assertThat(other.queues()).isEmpty();
    }

    @Test
    void theUriNamesTheVhostAndConnectsToIt() throws Exception {
        assertThat(rabbit.uri().getScheme()).isEqualTo("amqp");
        assertThat(rabbit.uri().getRawPath()).isEqualTo("/" + rabbit.vhost());

        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(rabbit.uri());
        try (Connection connection = factory.newConnection()) {
            assertThat(connection.isOpen()).isTrue();
            assertThat(connection.getServerProperties()).containsKey("version");
        }
    }

    @Test
    void newConnectionReachesTheVhostOfTheUri() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(rabbit.uri());
        try (Connection viaUri = factory.newConnection(); Channel declaring = viaUri.createChannel()) {
            declaring.queueDeclare("seen-through-both", false, false, false, null);

            try (Channel checking = rabbit.newConnection().createChannel()) {
                assertThat(checking.queueDeclarePassive("seen-through-both").getQueue()).isEqualTo("seen-through-both");
            }
        }
    }

    @Test
    void aQueueOfOneVhostIsNotVisibleFromAnother() throws Exception {
        try (Channel channel = rabbit.newConnection().createChannel()) {
            channel.queueDeclare("only-in-one-vhost", false, false, false, null);
        }

        Channel elsewhere = other.newConnection().createChannel();
        assertThatThrownBy(() -> elsewhere.queueDeclarePassive("only-in-one-vhost"))
                .isInstanceOf(IOException.class)
                .hasStackTraceContaining("NOT_FOUND");
        assertThat(other.queue("only-in-one-vhost")).isEmpty();
        assertThat(rabbit.queue("only-in-one-vhost")).isPresent();
    }

    @Test
    void queueReportsReadyAndUnacknowledgedMessagesAndConsumers() throws Exception {
        Channel channel = rabbit.newConnection().createChannel();
        channel.queueDeclare("counted", false, false, false, null);
        for (int i = 0; i < 3; i++) {
            channel.basicPublish("", "counted", MessageProperties.TEXT_PLAIN,
                    ("message " + i).getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(STATISTICS).untilAsserted(() -> assertThat(rabbit.queue("counted"))
                .contains(new QueueInfo("counted", 3, 0, 0)));

        channel.basicQos(1);
        channel.basicConsume("counted", false, new DefaultConsumer(channel));

        await().atMost(STATISTICS).untilAsserted(() -> assertThat(rabbit.queue("counted"))
                .contains(new QueueInfo("counted", 2, 1, 1)));
        assertThat(rabbit.queues()).contains(new QueueInfo("counted", 2, 1, 1));
    }

    @Test
    void queueIsEmptyForAQueueThatDoesNotExist() {
        Optional<QueueInfo> queue = rabbit.queue("never-declared");

        assertThat(queue).isEmpty();
    }

    @Nested
    class NestedClasses {

        @Test
        void shareTheVhostOfTheirEnclosingClass() throws Exception {
            try (Channel channel = rabbit.newConnection().createChannel()) {
                channel.queueDeclare("declared-in-nested-class", false, false, false, null);
            }

            assertThat(rabbit.vhost()).isEqualTo(vhostBeforeAll);
            assertThat(rabbit.queue("declared-in-nested-class")).isPresent();
        }
    }
}
