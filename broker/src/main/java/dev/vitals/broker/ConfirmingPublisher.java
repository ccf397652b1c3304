package dev.vitals.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Publishes on one channel in confirm mode without waiting a round trip per message: each publish
 * returns a future that completes when the broker confirms the message, and fails when the broker
 * refuses it (a {@code nack}, for example because the queue is full) or the channel closes first.
 *
 * <p>Publishing is serialised on the channel, as the client requires; confirms arrive on the client's
 * connection thread and complete futures there, so callers should chain only light work on them.
 */
public final class ConfirmingPublisher implements AutoCloseable {

    private final Channel channel;
    /** Header carrying a mandatory message's sequence number, so that a return can be matched to it. */
    static final String SEQUENCE_HEADER = "x-vitals-publish-seq";

    private final ConcurrentNavigableMap<Long, CompletableFuture<Void>> unconfirmed = new ConcurrentSkipListMap<>();
    /** Mandatory messages the broker returned as unroutable; their confirm then fails them. */
    private final Map<Long, String> returned = new java.util.concurrent.ConcurrentHashMap<>();

    public ConfirmingPublisher(Channel channel) throws IOException {
        this.channel = channel;
        channel.confirmSelect();
        channel.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long deliveryTag, boolean multiple) {
                settle(deliveryTag, multiple, null);
            }

            @Override
            public void handleNack(long deliveryTag, boolean multiple) {
                settle(deliveryTag, multiple, new PublishRefusedException(
                        "the broker refused the message (queue full or unavailable)"));
            }
        });
        channel.addReturnListener(message -> {
            Object sequence = message.getProperties().getHeaders() == null ? null
                    : message.getProperties().getHeaders().get(SEQUENCE_HEADER);
            if (sequence instanceof Number number) {
                returned.put(number.longValue(), message.getReplyText() + " (routing key '" + message.getRoutingKey() + "')");
            }
        });
        channel.addShutdownListener(cause -> failAll(new PublishRefusedException(
                "the broker channel closed before confirming: " + cause.getMessage())));
    }

    /**
     * Publishes a message; the returned future completes once the broker has taken responsibility for it.
     * A failure to send at all is also reported through the future, never thrown.
     */
    public CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
                                           byte[] body) {
        return publish(exchange, routingKey, false, properties, body);
    }

    /**
     * Publishes a message that must reach a queue: when no queue is bound to take it, the future fails with
     * {@link UnroutableException} instead of completing.
     */
    public CompletableFuture<Void> publishMandatory(String exchange, String routingKey, AMQP.BasicProperties properties,
                                                    byte[] body) {
        return publish(exchange, routingKey, true, properties, body);
    }

    private CompletableFuture<Void> publish(String exchange, String routingKey, boolean mandatory,
                                            AMQP.BasicProperties properties, byte[] body) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        synchronized (channel) {
            long sequence = channel.getNextPublishSeqNo();
            unconfirmed.put(sequence, confirmed);
            try {
                AMQP.BasicProperties sent = properties;
                if (mandatory) {
                    Map<String, Object> headers = properties.getHeaders() == null
                            ? new java.util.HashMap<>() : new java.util.HashMap<>(properties.getHeaders());
                    headers.put(SEQUENCE_HEADER, sequence);
                    sent = properties.builder().headers(headers).build();
                }
                channel.basicPublish(exchange, routingKey, mandatory, sent, body);
            } catch (IOException | RuntimeException e) {
                unconfirmed.remove(sequence);
                confirmed.completeExceptionally(new PublishRefusedException("cannot publish: " + e.getMessage(), e));
            }
        }
        return confirmed;
    }

    /** Futures not yet settled; for metrics and tests. */
    public int pending() {
        return unconfirmed.size();
    }

    private void settle(long deliveryTag, boolean multiple, PublishRefusedException failure) {
        Map<Long, CompletableFuture<Void>> settled = multiple
                ? unconfirmed.headMap(deliveryTag, true)
                : subMapOf(deliveryTag);
        for (Map.Entry<Long, CompletableFuture<Void>> entry : settled.entrySet()) {
            if (unconfirmed.remove(entry.getKey(), entry.getValue())) {
                String unroutable = returned.remove(entry.getKey());
                if (failure == null && unroutable != null) {
                    entry.getValue().completeExceptionally(new UnroutableException(
                            "no queue took the message: " + unroutable));
                } else if (failure == null) {
                    entry.getValue().complete(null);
                } else {
                    entry.getValue().completeExceptionally(failure);
                }
            }
        }
    }

    private Map<Long, CompletableFuture<Void>> subMapOf(long deliveryTag) {
        CompletableFuture<Void> future = unconfirmed.get(deliveryTag);
        return future == null ? Map.of() : Map.of(deliveryTag, future);
    }

    private void failAll(PublishRefusedException failure) {
        returned.clear(); // sequence numbers start again on a recovered channel
        for (Long sequence : unconfirmed.keySet()) {
            CompletableFuture<Void> future = unconfirmed.remove(sequence);
            if (future != null) {
                future.completeExceptionally(failure);
            }
        }
    }

    @Override
    public void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | java.util.concurrent.TimeoutException | com.rabbitmq.client.AlreadyClosedException e) {
            failAll(new PublishRefusedException("publisher closed"));
        }
    }
}
