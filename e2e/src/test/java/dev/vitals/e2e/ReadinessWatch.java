package dev.vitals.e2e;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks an API's {@code /health/ready} every 100 ms from {@link #start()} on, and keeps the longest time it answered
 * other than {@code 200} (or not at all), and whether it ever did.
 */
final class ReadinessWatch {

    private final String base;
    private final AtomicLong longestNotReadyNanos = new AtomicLong();
    private volatile boolean watching = true;
    private volatile boolean sawNotReady;
    private volatile long notReadySince = -1;
    private Thread thread;

    ReadinessWatch(String base) {
        this.base = base;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("readiness-watch").start(() -> {
            while (watching) {
                boolean ready;
                try {
                    ready = Rig.get(base + "/health/ready").statusCode() == 200;
                } catch (UncheckedIOException e) {
                    ready = false;
                }
                long now = System.nanoTime();
                if (ready) {
                    long since = notReadySince;
                    if (since >= 0) {
                        longestNotReadyNanos.accumulateAndGet(now - since, Math::max);
                    }
                    notReadySince = -1;
                } else {
                    sawNotReady = true;
                    if (notReadySince < 0) {
                        notReadySince = now;
                    }
                    long since = notReadySince;
                    longestNotReadyNanos.accumulateAndGet(now - since, Math::max);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /**
     * Waits until the API answers ready (at most {@code atMost}), then stops watching.
     *
     * @return how long it had been not ready when it answered ready again, or zero when it was ready
     */
    Duration stopAndAwaitReady(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (notReadySince >= 0 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        Duration current = notReadySince < 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - notReadySince);
        watching = false;
        thread.join(5_000);
        return current;
    }

    /** The longest time the API answered other than ready. */
    Duration longestNotReady() {
        return Duration.ofNanos(longestNotReadyNanos.get());
    }

    /** True when the API answered other than ready at least once. */
    boolean sawNotReady() {
        return sawNotReady;
    }
}
