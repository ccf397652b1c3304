package dev.vitals.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import dev.vitals.testing.RabbitMqExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConfirmingPublisherTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final AMQP.BasicProperties PROPERTIES = new AMQP.BasicProperties.Builder().build();
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);

    /** The publisher's clock, in nanoseconds, moved by the tests. */
    private final AtomicLong now = new AtomicLong();
    /** Holds the connection's thread in the first confirm listener, so confirms reach the publisher late. */
    private final CountDownLatch confirmsMayPass = new CountDownLatch(1);

    private Connection connection;
    private String queue;
    private ConfirmingPublisher publisher;

    @BeforeEach
    void open() throws Exception {
        connection = rabbit.newConnection();
        Channel channel = connection.createChannel();
        queue = channel.queueDeclare().getQueue();
        channel.addConfirmListener(new HeldConfirms());
        publisher = new ConfirmingPublisher(channel, TIMEOUT, now::get);
    }

    /** Added before the publisher's own listener, it keeps confirms from reaching that one until released. */
    private final class HeldConfirms implements ConfirmListener {
        @Override
        public void handleAck(long deliveryTag, boolean multiple) {
            try {
                confirmsMayPass.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void handleNack(long deliveryTag, boolean multiple) {
        }
    }

    @AfterEach
    void close() throws Exception {
        confirmsMayPass.countDown();
        publisher.close();
        connection.close();
    }

    @Test
    void aMessageLeftUnconfirmedFailsOnceTheTimeoutHasPassed() {
        CompletableFuture<Void> confirmed = publisher.publish("", queue, PROPERTIES, BODY);

        now.addAndGet(TIMEOUT.toNanos() - 1);
        publisher.failUnconfirmed();
        assertThat(confirmed).isNotDone();

        now.addAndGet(1);
        publisher.failUnconfirmed();
        assertThatThrownBy(confirmed::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PublishRefusedException.class)
                .hasMessage("the broker did not confirm the message within 5000 ms");
        assertThat(publisher.pending()).isZero();
    }

    @Test
    void theSweepFailsEveryMessageSentATimeoutAgoAndNoOther() {
        CompletableFuture<Void> oldest = publisher.publish("", queue, PROPERTIES, BODY);
        CompletableFuture<Void> older = publisher.publish("", queue, PROPERTIES, BODY);
        now.addAndGet(TIMEOUT.toNanos() / 2);
        CompletableFuture<Void> newer = publisher.publish("", queue, PROPERTIES, BODY);

        now.addAndGet(TIMEOUT.toNanos() / 2);
        publisher.failUnconfirmed();

        assertThat(oldest).isCompletedExceptionally();
        assertThat(older).isCompletedExceptionally();
        assertThat(newer).isNotDone();
        assertThat(publisher.pending()).isEqualTo(1);
    }

    @Test
    void aPublisherLooksForUnconfirmedMessagesByItself() throws Exception {
        Channel channel = connection.createChannel();
        channel.addConfirmListener(new HeldConfirms());
        try (ConfirmingPublisher sweeping = new ConfirmingPublisher(channel, Duration.ofMillis(40))) {
            CompletableFuture<Void> confirmed = sweeping.publish("", queue, PROPERTIES, BODY);

            await().atMost(Duration.ofSeconds(5)).until(confirmed::isDone);
            assertThatThrownBy(confirmed::get).cause().isInstanceOf(PublishRefusedException.class)
                    .hasMessage("the broker did not confirm the message within 40 ms");
            confirmsMayPass.countDown(); // the channel's close needs the connection's thread
        }
    }

    @Test
    void aConfirmThatComesAfterTheTimeoutChangesNothingAndLaterMessagesAreConfirmed() throws Exception {
        CompletableFuture<Void> late = publisher.publish("", queue, PROPERTIES, BODY);
        now.addAndGet(TIMEOUT.toNanos());
        publisher.failUnconfirmed();

        confirmsMayPass.countDown();
        CompletableFuture<Void> next = publisher.publish("", queue, PROPERTIES, BODY);

        next.get(5, TimeUnit.SECONDS);
        assertThat(late).isCompletedExceptionally();
        assertThat(publisher.pending()).isZero();
    }

    @Test
    void aConfirmedMessageIsNotFailedBySweepsAfterIt() throws Exception {
        confirmsMayPass.countDown();
        CompletableFuture<Void> confirmed = publisher.publish("", queue, PROPERTIES, BODY);
        confirmed.get(5, TimeUnit.SECONDS);

        now.addAndGet(TIMEOUT.toNanos() * 2);
        publisher.failUnconfirmed();

        assertThat(confirmed).isCompletedWithValue(null);
    }

    @Test
    void sweepsComeFourTimesPerTimeoutBetweenFiveMillisecondsAndASecond() {
        assertThat(ConfirmingPublisher.sweepPeriod(Duration.ofMillis(200))).isEqualTo(Duration.ofMillis(50));
        assertThat(ConfirmingPublisher.sweepPeriod(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(1));
        assertThat(ConfirmingPublisher.sweepPeriod(Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(5));
    }
}
