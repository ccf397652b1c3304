package dev.vitals.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import dev.vitals.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
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
 * <p>Messages left unconfirmed are looked for by a sweep every quarter of the confirm timeout (at most
 * every second, at least every 5 ms), rather than by a timer per message: nearly every message is
 * confirmed within milliseconds, and a timer set and cancelled for each one costs more than the rest of
 * the publish (bench/README.md, "Confirm timeouts without a timer per message"). The sweeps of every publisher in the process run on one daemon thread of their own, so
 * that nothing else (a publish blocked by the broker's flow control, say) can hold them up; a message
 * that times out fails on that thread.
 *
 * <p>With tracing on, a message published while a span is current gets a producer span of its own, from the
 * publish to the confirm, and carries its context in its headers ({@code traceparent}).
 */
public final class ConfirmingPublisher implements AutoCloseable {

    private final Channel channel;
    /** Header carrying a mandatory message's sequence number, so that a return can be matched to it. */
    static final String SEQUENCE_HEADER = "x-vitals-publish-seq";

    /** Longest and shortest time between two sweeps for messages left unconfirmed. */
    private static final Duration LONGEST_SWEEP_PERIOD = Duration.ofSeconds(1);
    private static final Duration SHORTEST_SWEEP_PERIOD = Duration.ofMillis(5);
    private static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");
    private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");

    /** Messages sent and not yet confirmed, by sequence number. */
    private final ConcurrentNavigableMap<Long, Pending> unconfirmed = new ConcurrentSkipListMap<>();
    /** Mandatory messages the broker returned as unroutable, by sequence number; their confirm then fails them. */
    private final ConcurrentNavigableMap<Long, String> returned = new ConcurrentSkipListMap<>();
    private final Duration confirmTimeout;
    private final LongSupplier nanoTime;
    private final Tracing tracing;
    private volatile @Nullable ScheduledFuture<?> sweep;

    /** A message sent, its future, and when it was sent ({@link System#nanoTime}). */
    private record Pending(CompletableFuture<Void> confirmed, long sentAt) {
    }

    /** The one thread that runs every publisher's sweep, made when the first publisher is. */
    private static final class SweepThread {
        static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vitals-confirm-timeouts").daemon().factory());
    }

    /**
     * Puts the channel in confirm mode and starts looking for messages left unconfirmed, until {@link #close}.
     *
     * @param confirmTimeout how long a message may wait for its confirm before its future fails
     */
    public ConfirmingPublisher(Channel channel, Duration confirmTimeout) throws IOException {
        this(channel, confirmTimeout, Tracing.off());
    }

    /**
     * As {@link #ConfirmingPublisher(Channel, Duration)}, with a producer span for each message published in a
     * trace.
     */
    public ConfirmingPublisher(Channel channel, Duration confirmTimeout, Tracing tracing) throws IOException {
        this(channel, confirmTimeout, System::nanoTime, tracing);
        long period = sweepPeriod(confirmTimeout).toMillis();
        sweep = SweepThread.TIMER.scheduleWithFixedDelay(this::failUnconfirmed, period, period, TimeUnit.MILLISECONDS);
    }

    /** Without a sweep of its own: {@link #failUnconfirmed} runs when the caller says, on its clock. */
    ConfirmingPublisher(Channel channel, Duration confirmTimeout, LongSupplier nanoTime) throws IOException {
        this(channel, confirmTimeout, nanoTime, Tracing.off());
    }

    private ConfirmingPublisher(Channel channel, Duration confirmTimeout, LongSupplier nanoTime, Tracing tracing)
            throws IOException {
        this.tracing = tracing;
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
        Span span = tracing.producer(exchange, routingKey);
        Map<String, Object> headers = tracing.withContext(span, properties.getHeaders());
        AMQP.BasicProperties traced = headers == properties.getHeaders() ? properties
                : properties.builder().headers(headers).build();
        if (!span.isRecording()) { // untraced, or a trace left out that is only carried on: nothing to end
            return send(exchange, routingKey, mandatory, traced, body);
        }
        span.setAttribute(BODY_SIZE, (long) body.length);
        if (properties.getMessageId() != null) {
            span.setAttribute(MESSAGE_ID, properties.getMessageId());
        }
        CompletableFuture<Void> confirmed = send(exchange, routingKey, mandatory, traced, body);
        confirmed.whenComplete((ok, failure) -> {
            if (failure != null) {
                Tracing.failed(span, failure);
            }
            span.end();
        });
        return confirmed;
    }

    private CompletableFuture<Void> send(String exchange, String routingKey, boolean mandatory,
                                         AMQP.BasicProperties properties, byte[] body) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        synchronized (channel) {
            long sequence = channel.getNextPublishSeqNo();
            if (sequence == 0) { // not in confirm mode: the channel is being recovered after a connection drop
                confirmed.completeExceptionally(new PublishRefusedException(
                        "not sent: the broker channel is being recovered"));
                return confirmed;
            }
            Pending pending = new Pending(confirmed, nanoTime.getAsLong());
            Pending displaced = unconfirmed.put(sequence, pending);
            if (displaced != null) {
                // Numbered afresh on a recovered channel: the earlier message's confirm can no longer come.
                displaced.confirmed().completeExceptionally(new PublishRefusedException(
                        "the broker channel was recovered before confirming the message"));
            }
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
                unconfirmed.remove(sequence, pending);
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
     * Fails the futures of the messages sent at least the confirm timeout ago and still unconfirmed. It looks
     * at every message in hand (a few hundred at most under load): after a channel recovery, sequence
     * numbers no longer follow the order in which messages were sent.
     */
    void failUnconfirmed() {
        long now = nanoTime.getAsLong();
        long timeout = confirmTimeout.toNanos();
        for (Map.Entry<Long, Pending> entry : unconfirmed.entrySet()) {
            if (now - entry.getValue().sentAt() >= timeout && unconfirmed.remove(entry.getKey(), entry.getValue())) {
                returned.remove(entry.getKey());
                entry.getValue().confirmed().completeExceptionally(new PublishRefusedException(
                        "the broker did not confirm the message within " + confirmTimeout.toMillis() + " ms"));
            }
        }
    }

    /** A sweep every quarter of the timeout, between 5 ms and 1 s apart. */
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
        // Returns of messages that failed before their confirm came (timed out) are of no use any more.
        if (multiple) {
            returned.headMap(deliveryTag, true).clear();
        } else {
            returned.remove(deliveryTag);
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
