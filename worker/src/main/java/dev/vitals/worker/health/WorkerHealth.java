package dev.vitals.worker.health;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.event.WorkerHeartbeat.WorkerState;
import java.time.Clock;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the worker knows about its own health, for {@code /health} and heartbeats: whether it has
 * started, whether it reaches the broker, and how its recent checks went.
 *
 * <p>The state is {@code starting} until {@link #started()}; then {@code healthy}, or {@code degraded}
 * while the broker is unreachable or after {@code degradedAfterFailures} checks in a row that could not
 * read every metric; {@code stopped} once {@link #stopping()} was called.
 */
public final class WorkerHealth {

    private final Clock clock;
    private final BooleanSupplier brokerConnected;
    private final Supplier<String> brokerNotConnected;
    private final int degradedAfterFailures;

    private volatile boolean started;
    private volatile boolean stopping;
    private long checkCount;
    private long errorCount;
    private int failuresInARow;
    private @Nullable Instant lastCheckTime;
    private @Nullable Boolean lastCheckSuccess;
    private @Nullable HealthStatus lastStatus;

    public WorkerHealth(Clock clock, BooleanSupplier brokerConnected, int degradedAfterFailures) {
        this(clock, brokerConnected, () -> "not connected to the message broker", degradedAfterFailures);
    }

    /** @param brokerNotConnected why the broker is not connected (a refused login, a queue that conflicts…), in one line */
    public WorkerHealth(Clock clock, BooleanSupplier brokerConnected, Supplier<String> brokerNotConnected,
                        int degradedAfterFailures) {
        this.clock = clock;
        this.brokerConnected = brokerConnected;
        this.brokerNotConnected = brokerNotConnected;
        this.degradedAfterFailures = degradedAfterFailures;
    }

    public void started() {
        started = true;
    }

    public void stopping() {
        stopping = true;
    }

    /**
     * Records a finished check.
     *
     * @param status  the report's overall status, or null when the task could not be run at all
     * @param success whether every requested metric could be read
     */
    public synchronized void recordCheck(@Nullable HealthStatus status, boolean success) {
        checkCount++;
        lastCheckTime = clock.instant();
        lastCheckSuccess = success;
        if (status != null) {
            lastStatus = status;
        }
        if (success) {
            failuresInARow = 0;
        } else {
            errorCount++;
            failuresInARow++;
        }
    }

    /**
     * Records a message refused as not being a valid task: counted as an error, but it says nothing about
     * this machine, so it does not make the worker degraded.
     */
    public synchronized void recordRefused() {
        checkCount++;
        errorCount++;
        lastCheckTime = clock.instant();
    }

    public WorkerState state() {
        if (stopping) {
            return WorkerState.STOPPED;
        }
        if (!started) {
            return WorkerState.STARTING;
        }
        synchronized (this) {
            if (failuresInARow >= degradedAfterFailures) {
                return WorkerState.DEGRADED;
            }
        }
        return brokerConnected.getAsBoolean() ? WorkerState.HEALTHY : WorkerState.DEGRADED;
    }

    public boolean isBrokerConnected() {
        return brokerConnected.getAsBoolean();
    }

    /** Why the broker is not connected, for the readiness probe. */
    public String brokerNotConnectedReason() {
        return brokerNotConnected.get();
    }

    /** The overall status of the latest report, if any. */
    public synchronized @Nullable HealthStatus lastStatus() {
        return lastStatus;
    }

    /** A consistent copy of the counters, with the state and the time it was taken. */
    public Snapshot snapshot() {
        WorkerState state = state();
        synchronized (this) {
            return new Snapshot(state, lastCheckTime, lastCheckSuccess, checkCount, errorCount, clock.instant());
        }
    }

    /** The body of {@code GET /health}, field for field. */
    public record Snapshot(
            WorkerState status,
            @Nullable Instant lastCheckTime,
            @Nullable Boolean lastCheckSuccess,
            long checkCount,
            long errorCount,
            Instant timestamp) {

        /** {@code starting} and {@code healthy} answer 200; anything else 503. */
        @JsonIgnore
        public boolean isUp() {
            return status == WorkerState.STARTING || status == WorkerState.HEALTHY;
        }
    }
}
