package dev.vitals.api.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The state of a worker, or of one of its checks, after its scheduled runs so far.
 *
 * @param since                when the status began; null while unknown
 * @param consecutiveFailures  failed runs since the last successful one
 * @param consecutiveSuccesses successful runs since the last failed one
 * @param lastRunAt            when the latest run's task ended; null before the first
 * @param recent               the latest runs' outcomes, oldest first, {@code f} failed and {@code s} succeeded, at
 *                             most {@link StateMachine#RECENT_RUNS} of them: what flapping is judged on
 */
public record ScopeState(WorkerStatus status, @Nullable Instant since, int consecutiveFailures,
                         int consecutiveSuccesses, boolean flapping, @Nullable Instant lastRunAt,
                         @JsonIgnore String recent) {

    /** Before any run. */
    public static final ScopeState UNKNOWN = new ScopeState(WorkerStatus.UNKNOWN, null, 0, 0, false, null, "");

    public ScopeState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(recent, "recent");
    }

    @JsonProperty("flapping")
    @Override
    public boolean flapping() {
        return flapping;
    }
}
