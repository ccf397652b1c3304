package dev.vitals.api.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.vitals.api.store.StoreUnavailableException;
import dev.vitals.broker.BrokerConnection;
import dev.vitals.broker.Declaration;
import dev.vitals.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The one boundary where a consumed message's fate is decided, for the queues the API replicas share:
 *
 * <ul>
 *   <li>handled: acknowledged, after the store was updated (a handler may hold a message a moment and
 *       settle it later, see {@link #settle});</li>
 *   <li>the store is unavailable: handed back to the queue ({@code nack} with requeue) after
 *       {@link #REQUEUE_DELAY}, so nothing is lost and a store outage does not spin the consumer;</li>
 *   <li>unreadable, or any other failure: logged and acknowledged, so that no message circles forever.</li>
 * </ul>
 */
final class Acknowledger extends DefaultConsumer {

    /** How long a message the store could not take is held before it goes back to the queue. */
    static final Duration REQUEUE_DELAY = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(Acknowledger.class);

    private final String queue;
    private final MessageHandler handler;
    private final ScheduledExecutorService scheduler;

    Acknowledger(Channel channel, String queue, MessageHandler handler, ScheduledExecutorService scheduler) {
        super(channel);
        this.queue = queue;
        this.handler = handler;
        this.scheduler = scheduler;
    }

    /**
     * Declares {@code queue} as a durable queue of {@code queueType} ({@code classic} or {@code quorum}) that
     * the API replicas share as competing consumers, binds it to {@code exchange} with each routing key, and
     * consumes it, at most {@code prefetch} unacknowledged messages at a time, each settled once
     * {@code handler} has run. A queue that already exists with other arguments (another type, chosen by an
     * earlier version or by hand) is used as it is, with a line saying so, rather than refused.
     *
     * @return the consumer; its channel is the one to close on stop
     */
    static Acknowledger consumeShared(BrokerConnection connection, String queue, String queueType, String exchange,
                                      List<String> routingKeys, int prefetch, String consumerTag,
                                      MessageHandler handler, ScheduledExecutorService scheduler) throws IOException {
        List<Declaration> declarations = new ArrayList<>();
        declarations.add(new Declaration.Queue(queue, Map.of(), Map.of("x-queue-type", queueType)));
        for (String routingKey : routingKeys) {
            declarations.add(new Declaration.Binding(queue, exchange, routingKey));
        }
        connection.declare(declarations);
        Channel channel = connection.createChannel();
        channel.basicQos(prefetch);
        Acknowledger acknowledger = new Acknowledger(channel, queue, handler, scheduler);
        channel.basicConsume(queue, false, consumerTag, acknowledger);
        return acknowledger;
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        settle(envelope.getDeliveryTag(), envelope.getRoutingKey(), () -> handler.handle(envelope, properties, body));
    }

    /**
     * Runs {@code work} for the message with this delivery tag and settles the message as the class comment
     * says; a failure is recorded on the current span, if any. Work that returns false holds the message: it is settled later, by another call of this method.
     * Safe from any thread.
     */
    void settle(long tag, String routingKey, BooleanSupplier work) {
        try {
            if (work.getAsBoolean()) {
                getChannel().basicAck(tag, false);
            }
        } catch (UnreadableMessageException e) {
            Tracing.failed(Span.current(), e);
            log.warn("Unreadable message on {} (routing key {}) dropped: {}", queue, routingKey, e.getMessage());
            ack(tag);
        } catch (StoreUnavailableException e) {
            Tracing.failed(Span.current(), e);
            log.warn("Task store unavailable; message on {} goes back to the queue in {} ms: {}", queue,
                    REQUEUE_DELAY.toMillis(), e.getMessage());
            requeueLater(tag);
        } catch (AlreadyClosedException e) {
            // Shutting down, or the connection dropped: unacknowledged, the message is delivered again.
            log.info("The channel of {} closed before message {} was acknowledged; the broker delivers it again",
                    queue, tag);
        } catch (IOException e) {
            log.warn("Could not acknowledge message {} on {} ({}); the broker delivers it again", tag, queue,
                    e.getMessage());
        } catch (RuntimeException e) {
            Tracing.failed(Span.current(), e);
            log.error("Message on {} (routing key {}) could not be handled and is dropped", queue, routingKey, e);
            ack(tag);
        } finally {
            MDC.remove("task_id");
        }
    }

    private void ack(long tag) {
        try {
            getChannel().basicAck(tag, false);
        } catch (IOException | AlreadyClosedException e) {
            log.info("Could not acknowledge message {} on {} ({}); the broker delivers it again", tag, queue,
                    e.getMessage());
        }
    }

    private void requeueLater(long tag) {
        try {
            scheduler.schedule(() -> {
                try {
                    getChannel().basicNack(tag, false, true);
                } catch (IOException | RuntimeException e) {
                    log.debug("Could not hand message {} back to {} ({}); the broker will redeliver it", tag, queue,
                            e.getMessage());
                }
            }, REQUEUE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Shutting down; message {} on {} is redelivered when the channel closes", tag, queue);
        }
    }

    /** Handles one message; throws {@link UnreadableMessageException} when it cannot be read. */
    @FunctionalInterface
    interface MessageHandler {
        /**
         * @return true when the message is done with and may be acknowledged; false when the handler holds it
         *         and settles it later through {@link Acknowledger#settle}
         */
        boolean handle(Envelope envelope, AMQP.BasicProperties properties, byte[] body);
    }
}
