package dev.vitals.api.http;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.alert.AlertStore;
import dev.vitals.api.history.FleetHistory;
import dev.vitals.api.state.StateStore;
import dev.vitals.api.state.WorkerState;
import dev.vitals.api.worker.WorkerDirectory;
import dev.vitals.api.worker.WorkerInfo;
import dev.vitals.api.worker.WorkerNotFoundException;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/fleet}: every worker the registry lists, each with its state, its last run's checks, its uptime
 * and its last 90 days, and the open alerts: what the dashboard's fleet page shows, in one call.
 */
final class FleetRoutes {

    static final String FLEET = "/api/v1/fleet";

    private final WorkerDirectory workers;
    private final StateStore states;
    private final FleetHistory history;
    private final AlertStore alerts;
    private final ObjectMapper mapper;
    private final Clock clock;

    FleetRoutes(WorkerDirectory workers, StateStore states, FleetHistory history, AlertStore alerts, ObjectMapper mapper,
                Clock clock) {
        this.workers = workers;
        this.states = states;
        this.history = history;
        this.alerts = alerts;
        this.mapper = mapper;
        this.clock = clock;
    }

    record Fleet(Instant at, int openAlerts, List<FleetWorker> workers) {
    }

    /** A worker as the fleet shows it. */
    record FleetWorker(@JsonUnwrapped WorkerInfo worker, WorkerState state, int openAlerts,
                       @JsonUnwrapped FleetHistory.Overview history) {
    }

    /** {@code GET /api/v1/fleet[?worker_id=]}: with {@code worker_id}, only that worker's row (404 when not listed). */
    void fleet(Context ctx) {
        Instant at = clock.instant();
        String only = ctx.queryParam("worker_id");
        List<WorkerInfo> listed = only == null ? workers.workers()
                : List.of(workers.find(only).orElseThrow(() -> new WorkerNotFoundException(only)));
        List<String> ids = listed.stream().map(WorkerInfo::workerId).toList();
        Map<String, WorkerState> byWorker = states.states(ids);
        Map<String, FleetHistory.Overview> overviews = history.overview(ids);
        Map<String, Integer> open = alerts.openByWorker();
        List<FleetWorker> rows = listed.stream().map(worker -> new FleetWorker(worker,
                byWorker.getOrDefault(worker.workerId(), WorkerState.UNKNOWN), open.getOrDefault(worker.workerId(), 0),
                overviews.get(worker.workerId()))).toList();
        Answers.json(ctx, mapper, 200, new Fleet(at, open.values().stream().mapToInt(Integer::intValue).sum(), rows));
    }
}
