package dev.vitals.api.store;

import dev.vitals.model.HealthStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The worker registry, shared by every API replica so that all of them see the same fleet, and kept
 * across restarts. Every method may throw {@link StoreUnavailableException}.
 */
public interface WorkerStore {

    /**
     * Records a heartbeat: creates the worker or updates it. The last status is kept when the heartbeat
     * carries none.
     */
    void seen(StoredWorker worker);

    /** Remembers the overall status of a worker's latest report; does nothing for an unknown worker. */
    void reported(String workerId, HealthStatus status);

    Optional<StoredWorker> find(String workerId);

    /** Workers heard from since {@code since}, by worker id. */
    List<StoredWorker> seenSince(Instant since);

    /** Forgets workers not heard from since {@code cutoff}; returns how many. */
    int forgetSilentSince(Instant cutoff);
}
