package dev.vitals.api.worker;

import dev.vitals.model.event.WorkerHeartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The workers this API replica heard {@code worker.heartbeat} from, kept in memory. Every replica hears
 * every heartbeat (on its own queue), so every replica knows the whole fleet a few seconds after it starts.
 * A worker is alive when heard from within {@link #ALIVE_WINDOW} and its last heartbeat did not say it
 * stopped; it is forgotten {@link #FORGET_AFTER} after its last heartbeat.
 */
public final class HeartbeatWorkerDirectory implements WorkerDirectory {

    /** How often workers send a heartbeat. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
    /** Three missed heartbeats and a worker no longer counts as alive. */
    public static final Duration ALIVE_WINDOW = HEARTBEAT_INTERVAL.multipliedBy(3);
    /** How long a silent worker is still listed. */
    public static final Duration FORGET_AFTER = Duration.ofHours(1);

    private final Clock clock;
    private final ConcurrentMap<String, Heard> heard = new ConcurrentHashMap<>();

    public HeartbeatWorkerDirectory(Clock clock) {
        this.clock = clock;
    }

    /** Records a heartbeat, timed by this replica's clock (workers' clocks may be off). */
    public void seen(WorkerHeartbeat heartbeat) {
        heard.put(heartbeat.workerId(), new Heard(heartbeat, clock.instant()));
    }

    @Override
    public List<WorkerInfo> workers() {
        Instant now = clock.instant();
        heard.values().removeIf(h -> h.at().isBefore(now.minus(FORGET_AFTER)));
        return heard.values().stream()
                .map(h -> new WorkerInfo(h.heartbeat().workerId(), h.heartbeat().hostname(), h.heartbeat().version(),
                        h.heartbeat().startedAt(), h.at(), h.heartbeat().lastStatus(),
                        h.heartbeat().state() != WorkerHeartbeat.WorkerState.STOPPED
                                && !h.at().isBefore(now.minus(ALIVE_WINDOW))))
                .sorted(Comparator.comparing(WorkerInfo::workerId))
                .toList();
    }

    private record Heard(WorkerHeartbeat heartbeat, Instant at) {
    }
}
