package dev.vitals.api.alert;

import dev.vitals.api.alert.channel.Channel;
import dev.vitals.api.alert.channel.DeliveryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the notifications that {@link Alerting} stored. Each replica claims due ones in the store, so each
 * is sent by one replica; one killed mid-send leaves its claim to run out and another replica to send it.
 * A failed send is tried again after 1 s, 2 s, 4 s … (at most 5 min apart) until
 * {@link AlertSettings#giveUpAfter()}, then marked failed; a receiver that refuses the notification itself
 * (a permanent error) is not tried again. Sends run on other threads, at most
 * {@link AlertSettings#concurrentSends()} at a time, each bounded by the channel's timeout: a slow receiver
 * never holds up the storing of results.
 */
public final class NotificationSender {

    private static final Logger log = LoggerFactory.getLogger(NotificationSender.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(5);

    private final AlertStore store;
    private final Map<String, Channel> channels;
    private final AlertSettings settings;
    private final Executor sending;
    private final Clock clock;
    private final SendObserver observer;
    private final AtomicInteger inFlight = new AtomicInteger();

    /** What became of each attempt, for metrics. */
    public interface SendObserver {
        SendObserver NONE = (channel, kind, outcome) -> { };

        /** @param outcome {@code sent}, {@code retry} or {@code failed} */
        void attempted(String channel, String kind, String outcome);
    }

    /** @param sending where sends run (virtual threads): never the caller's */
    public NotificationSender(AlertStore store, List<Channel> channels, AlertSettings settings, Executor sending,
                              Clock clock, SendObserver observer) {
        this.store = store;
        this.channels = channels.stream().collect(Collectors.toUnmodifiableMap(Channel::name, Function.identity()));
        this.settings = settings;
        this.sending = sending;
        this.clock = clock;
        this.observer = observer;
    }

    /** Claims the notifications that are due, as many as there is room for, and starts sending them. */
    public void sendDue() {
        int room = settings.concurrentSends() - inFlight.get();
        if (room <= 0) {
            return;
        }
        Instant now = now();
        // Claimed for longer than a send may take, so that a claim runs out only when its replica died.
        Instant until = now.plus(settings.sendTimeout().multipliedBy(3)).plusSeconds(5);
        for (AlertStore.Claimed claimed : store.claimDue(now, until, room)) {
            inFlight.incrementAndGet();
            try {
                sending.execute(() -> {
                    try {
                        send(claimed);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            } catch (RejectedExecutionException e) {
                inFlight.decrementAndGet(); // shutting down: its claim runs out and another replica sends it
            }
        }
    }

    private void send(AlertStore.Claimed claimed) {
        String kind = claimed.notification().kind().id();
        Channel channel = channels.get(claimed.channel());
        if (channel == null) {
            store.failed(claimed.id(), "channel '" + claimed.channel() + "' is no longer configured");
            observer.attempted(claimed.channel(), kind, "failed");
            return;
        }
        try {
            channel.send(claimed.notification());
            store.sent(claimed.id(), now());
            observer.attempted(channel.name(), kind, "sent");
            log.info("Notification {} ({} of alert {}) sent to {}", claimed.id(), kind,
                    claimed.notification().alert().id(), channel.name());
        } catch (DeliveryException e) {
            Instant now = now();
            Instant next = now.plus(backoff(claimed.attempts()));
            if (e.isPermanent() || !next.isBefore(claimed.createdAt().plus(settings.giveUpAfter()))) {
                store.failed(claimed.id(), e.getMessage());
                observer.attempted(channel.name(), kind, "failed");
                log.error("Notification {} ({} of alert {}) to {} failed after {} attempt(s), given up: {}",
                        claimed.id(), kind, claimed.notification().alert().id(), channel.name(), claimed.attempts(),
                        e.getMessage());
            } else {
                store.retryAt(claimed.id(), next, e.getMessage());
                observer.attempted(channel.name(), kind, "retry");
                log.warn("Notification {} to {} not sent (attempt {}): {}; trying again at {}", claimed.id(),
                        channel.name(), claimed.attempts(), e.getMessage(), next);
            }
        } catch (RuntimeException e) {
            // A bug in a channel must not stop the others; the claim runs out and the send is tried again.
            log.error("Notification {} to {}: unexpected failure", claimed.id(), channel.name(), e);
        }
    }

    /** 1 s after the first attempt, doubling, at most {@link #LONGEST_RETRY}. */
    static Duration backoff(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 20);
        Duration delay = FIRST_RETRY.multipliedBy(1L << doublings);
        return delay.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : delay;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
