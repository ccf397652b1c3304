package dev.vitals.api.alert;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs alerting on one replica: every {@link #INTERVAL}, an {@link Alerting#tick() evaluation} and a
 * {@link NotificationSender#sendDue() send} of what is due, on a blocking thread. A failure (the store
 * away) is logged and the next round tries again.
 */
public final class Alerts implements AutoCloseable {

    /** How often alerts are evaluated and due notifications sent. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);
    /** How often resolved alerts past their retention are deleted. */
    private static final Duration CLEAN_UP_INTERVAL = Duration.ofHours(1);

    private static final Logger log = LoggerFactory.getLogger(Alerts.class);

    private final Alerting alerting;
    private final NotificationSender sender;
    private final AlertStore store;
    private final AlertSettings settings;
    private final Clock clock;
    private volatile @Nullable Instant lastCleanUp;
    private final ScheduledExecutorService scheduler;
    private final Executor blocking;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile @Nullable ScheduledFuture<?> rounds;
    private volatile boolean lastFailed;

    public Alerts(Alerting alerting, NotificationSender sender, AlertStore store, AlertSettings settings,
                  Clock clock, ScheduledExecutorService scheduler, Executor blocking) {
        this.alerting = alerting;
        this.sender = sender;
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.blocking = blocking;
    }

    public Alerting alerting() {
        return alerting;
    }

    public void start() {
        rounds = scheduler.scheduleWithFixedDelay(this::startRound, INTERVAL.toMillis(), INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** One round at a time: a round still running when the next is due (a slow store) is not doubled. */
    private void startRound() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            blocking.execute(() -> {
                try {
                    round();
                } finally {
                    running.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            running.set(false); // shutting down
        }
    }

    void round() {
        try {
            alerting.tick();
            sender.sendDue();
            cleanUpNowAndThen();
            if (lastFailed) {
                log.info("Alerting works again");
                lastFailed = false;
            }
        } catch (RuntimeException e) {
            if (!lastFailed) {
                log.warn("Alerting paused: {}; trying again every {} s", e.getMessage(), INTERVAL.toSeconds());
                lastFailed = true;
            }
        }
    }

    private void cleanUpNowAndThen() {
        Instant now = clock.instant();
        Instant last = lastCleanUp;
        if (last != null && last.plus(CLEAN_UP_INTERVAL).isAfter(now)) {
            return;
        }
        lastCleanUp = now;
        int deleted = store.deleteEndedBefore(now.minus(settings.retention()));
        if (deleted > 0) {
            log.info("Deleted {} alerts resolved more than {} days ago", deleted, settings.retention().toDays());
        }
    }

    @Override
    public void close() {
        ScheduledFuture<?> current = rounds;
        if (current != null) {
            current.cancel(false);
        }
    }
}
