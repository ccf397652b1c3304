package dev.vitals.broker;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Logs why something keeps failing while it is retried, one line each time the reason changes and once a minute
 * while it stays the same (at debug level in between), so a log shows the problem without repeating it every few
 * seconds. A refusal an operator must act on ({@link BrokerRefusedException}) is an error; anything else a warning.
 */
final class RetryLog {

    static final Duration REPEAT_AFTER = Duration.ofMinutes(1);

    private final Logger log;
    private @Nullable String last;
    private long lastLoggedAt;

    RetryLog(Logger log) {
        this.log = log;
    }

    /** Logs {@code failure}'s message (one line, no stack trace), followed by when it is tried again. */
    synchronized void failed(Exception failure, Duration retryIn) {
        String reason = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        long now = System.nanoTime();
        boolean repeat = Objects.equals(reason, last) && now - lastLoggedAt < REPEAT_AFTER.toNanos();
        String line = reason + "; retrying in " + retryIn.toMillis() + " ms";
        if (repeat) {
            log.debug(line);
            return;
        }
        last = reason;
        lastLoggedAt = now;
        if (failure instanceof BrokerRefusedException) {
            log.error(line);
        } else {
            log.warn(line);
        }
    }
}
