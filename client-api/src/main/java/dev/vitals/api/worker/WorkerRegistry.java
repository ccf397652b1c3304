package dev.vitals.api.worker;

import dev.vitals.api.ApiConfig;
import dev.vitals.api.store.StoredWorker;
import dev.vitals.api.store.WorkerStore;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.event.WorkerHeartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fleet, as the workers' heartbeats describe it, kept in the store so that every API replica sees the
 * same workers and they survive a restart. A heartbeat is timed by the replica that stores it (workers'
 * clocks may be off); a worker is alive until it misses {@code missedHeartbeats} of its own intervals, and
 * stops being alive at once when it says it stopped.
 */
public final class WorkerRegistry implements WorkerDirectory {

    /** How long a worker's stored status is taken as current by the replica that stored it. */
    static final Duration REPORTED_REFRESH = Duration.ofSeconds(1);

    private final WorkerStore store;
    private final Clock clock;
    private final ApiConfig.Workers settings;
    private final Map<String, LastReported> lastReported = new ConcurrentHashMap<>();

    public WorkerRegistry(WorkerStore store, Clock clock, ApiConfig.Workers settings) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
    }

    /** Records a {@code worker.heartbeat}. */
    public void seen(WorkerHeartbeat heartbeat) {
        Duration interval = heartbeat.heartbeatIntervalSeconds() == null || heartbeat.heartbeatIntervalSeconds() <= 0
                ? settings.heartbeatInterval()
                : Duration.ofMillis(Math.round(heartbeat.heartbeatIntervalSeconds() * 1000));
        store.seen(new StoredWorker(heartbeat.workerId(), heartbeat.hostname(), heartbeat.version(),
                heartbeat.startedAt(), clock.instant(), interval, heartbeat.lastStatus(),
                heartbeat.state() == WorkerHeartbeat.WorkerState.STOPPED));
    }

    /**
     * Remembers the status of a worker's latest report. A status this replica stored less than
     * {@link #REPORTED_REFRESH} ago is not stored again, so that a busy worker costs the store a write when
     * its status changes rather than one per report; another replica's write in between may stand for up
     * to that long.
     */
    public void reported(String workerId, HealthStatus status) {
        Instant now = clock.instant();
        LastReported last = lastReported.get(workerId);
        if (last != null && last.status() == status && last.storedAt().plus(REPORTED_REFRESH).isAfter(now)) {
            return;
        }
        store.reported(workerId, status);
        lastReported.put(workerId, new LastReported(status, now));
    }

    private record LastReported(HealthStatus status, Instant storedAt) {
    }

    @Override
    public List<WorkerInfo> workers() {
        Instant now = clock.instant();
        return store.seenSince(now.minus(settings.listedFor())).stream().map(worker -> info(worker, now)).toList();
    }

    @Override
    public Optional<WorkerInfo> find(String workerId) {
        Instant now = clock.instant();
        return store.find(workerId).map(worker -> info(worker, now));
    }

    /**
     * The workers listed now that are not alive and did not say they stopped: their heartbeats stopped
     * coming (the machine, the worker or the network between went away).
     */
    public List<WorkerInfo> gone() {
        Instant now = clock.instant();
        return store.seenSince(now.minus(settings.listedFor())).stream()
                .filter(worker -> !worker.stopped() && !worker.isAlive(now, settings.missedHeartbeats()))
                .map(worker -> info(worker, now))
                .toList();
    }

    /** Forgets workers silent since {@code cutoff}; returns how many. */
    public int forgetSilentSince(Instant cutoff) {
        lastReported.clear();
        return store.forgetSilentSince(cutoff);
    }

    private WorkerInfo info(StoredWorker worker, Instant now) {
        return new WorkerInfo(worker.workerId(), worker.hostname(), worker.version(), worker.startedAt(),
                worker.lastSeen(), worker.lastStatus(), worker.isAlive(now, settings.missedHeartbeats()));
    }
}
