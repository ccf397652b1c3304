package dev.vitals.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Publishes on one channel in confirm mode without waiting a round trip per message: each publish
 * returns a future that completes when the broker confirms the message, and fails when the broker
 * refuses it (a {@code nack}, for example because the queue is full), does not confirm it within the
 * confirm timeout, or the channel closes first.
 *
 * <p>Publishing is serialised on the channel, as the client requires; confirms arrive on the client's
 * connection thread and complete futures there, so callers should chain only light work on them.
 *
 * <p>Messages left unconfirmed are looked for by one sweep over the oldest, a few times per timeout, rather
 * than by a timer per message: nearly every message is confirmed within milliseconds, and a timer set and
 * cancelled for each one cost more than the rest of the publish.
 */
public final class ConfirmingPublisher implements AutoCloseable {

    private final Channel channel;
    /** Header carrying a mandatory message's sequence number, so that a return can be matched to it. */
    static final String SEQUENCE_HEADER = "x-vitals-publish-seq";

    /** Longest and shortest time between two sweeps for messages left unconfirmed. */
    private static final Duration LONGEST_SWEEP_PERIOD = Duration.ofSeconds(1);
    private static final Duration SHORTEST_SWEEP_PERIOD = Duration.ofMillis(5);

    /** Messages sent and not yet confirmed, by sequence number: the oldest first. */
    private final ConcurrentNavigableMap<Long, Pending> unconfirmed = new ConcurrentSkipListMap<>();
    /** Mandatory messages the broker returned as unroutable; their confirm then fails them. */
    private final Map<Long, String> returned = new java.util.concurrent.ConcurrentHashMap<>();
    private final Duration confirmTimeout;
    private final LongSupplier nanoTime;
    private volatile @Nullable ScheduledFuture<?> sweep;

    /** A message sent, its future, and when it was sent ({@link System#nanoTime}). */
    private record Pending(CompletableFuture<Void> confirmed, long sentAt) {
    }

    /**
     * Puts the channel in confirm mode.
     *
     * @param confirmTimeout how long a message may wait for its confirm before its future fails
     * @param timer          runs the sweep for messages left unconfirmed, until {@link #close}
     */
    public ConfirmingPublisher(Channel channel, Duration confirmTimeout, ScheduledExecutorService timer)
            throws IOException {
        this(channel, confirmTimeout, System::nanoTime);
        long period = sweepPeriod(confirmTimeout).toMillis();
        sweep = timer.scheduleWithFixedDelay(this::failUnconfirmed, period, period, TimeUnit.MILLISECONDS);
    }

    /** Without a sweep of its own: {@link #failUnconfirmed} runs when the caller says, on its clock. */
    ConfirmingPublisher(Channel channel, Duration confirmTimeout, LongSupplier nanoTime) throws IOException {
        this.channel = channel;
        this.confirmTimeout = confirmTimeout;
        this.nanoTime = nanoTime;
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
            unconfirmed.put(sequence, new Pending(confirmed, nanoTime.getAsLong()));
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

    /**
     * Fails the futures of the messages sent at least the confirm timeout ago and still unconfirmed. Messages
     * are numbered in the order they are sent, so the sweep ends at the first one that is not overdue.
     */
    void failUnconfirmed() {
        long now = nanoTime.getAsLong();
        long timeout = confirmTimeout.toNanos();
        for (Map.Entry<Long, Pending> entry : unconfirmed.entrySet()) {
            if (now - entry.getValue().sentAt() < timeout) {
                return;
            }
            if (unconfirmed.remove(entry.getKey(), entry.getValue())) {
                returned.remove(entry.getKey());
                entry.getValue().confirmed().completeExceptionally(new PublishRefusedException(
                        "the broker did not confirm the message within " + confirmTimeout.toMillis() + " ms"));
            }
        }
    }

    /** A few sweeps per timeout, so that a message fails at most a quarter of it late (and a second at most). */
    static Duration sweepPeriod(Duration confirmTimeout) {
        Duration quarter = confirmTimeout.dividedBy(4);
        return quarter.compareTo(LONGEST_SWEEP_PERIOD) > 0 ? LONGEST_SWEEP_PERIOD
                : quarter.compareTo(SHORTEST_SWEEP_PERIOD) < 0 ? SHORTEST_SWEEP_PERIOD : quarter;
    }

    private void settle(long deliveryTag, boolean multiple, @Nullable PublishRefusedException failure) {
        Map<Long, Pending> settled = multiple
                ? unconfirmed.headMap(deliveryTag, true)
                : subMapOf(deliveryTag);
        for (Map.Entry<Long, Pending> entry : settled.entrySet()) {
            if (unconfirmed.remove(entry.getKey(), entry.getValue())) {
                CompletableFuture<Void> confirmed = entry.getValue().confirmed();
                String unroutable = returned.remove(entry.getKey());
                if (failure == null && unroutable != null) {
                    confirmed.completeExceptionally(new UnroutableException("no queue took the message: " + unroutable));
                } else if (failure == null) {
                    confirmed.complete(null);
                } else {
                    confirmed.completeExceptionally(failure);
                }
            }
        }
    }

    private Map<Long, Pending> subMapOf(long deliveryTag) {
        Pending pending = unconfirmed.get(deliveryTag);
        return pending == null ? Map.of() : Map.of(deliveryTag, pending);
    }

    private void failAll(PublishRefusedException failure) {
        returned.clear(); // sequence numbers start again on a recovered channel
        for (Long sequence : unconfirmed.keySet()) {
            Pending pending = unconfirmed.remove(sequence);
            if (pending != null) {
                pending.confirmed().completeExceptionally(failure);
            }
        }
    }

    /** Closes the channel (its unconfirmed messages fail) and ends the sweep. */
    @Override
    public void close() {
        ScheduledFuture<?> running = sweep;
        if (running != null) {
            running.cancel(false);
        }
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | java.util.concurrent.TimeoutException | com.rabbitmq.client.AlreadyClosedException e) {
            failAll(new PublishRefusedException("publisher closed"));
        }
    }
}
