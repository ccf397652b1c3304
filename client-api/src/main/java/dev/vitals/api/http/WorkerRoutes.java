package dev.vitals.api.http;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.history.WorkerHistory;
import dev.vitals.api.state.StateStore;
import dev.vitals.api.state.Transition;
import dev.vitals.api.state.WorkerState;
import dev.vitals.api.worker.WorkerDirectory;
import dev.vitals.api.worker.WorkerInfo;
import dev.vitals.api.worker.WorkerNotFoundException;
import dev.vitals.model.ValidationException;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/v1/workers}: the workers with their states, one worker, its history, uptime and transitions.
 * A worker is known while the registry lists it, or once anything of it was recorded.
 */
final class WorkerRoutes {

    static final String BASE = "/api/v1/workers";
    static final String ONE = BASE + "/{worker_id}";
    /** Transitions answered when {@code limit} is not given, and the most that may be asked for. */
    static final int DEFAULT_TRANSITIONS = 100;
    static final int MAX_TRANSITIONS = 1000;

    private final WorkerDirectory workers;
    private final StateStore states;
    private final WorkerHistory history;
    private final ObjectMapper mapper;

    WorkerRoutes(WorkerDirectory workers, StateStore states, WorkerHistory history, ObjectMapper mapper) {
        this.workers = workers;
        this.states = states;
        this.history = history;
        this.mapper = mapper;
    }

    /** A worker as the API shows it: what its heartbeats say, and the state its scheduled runs put it in. */
    record WorkerJson(@JsonUnwrapped WorkerInfo worker, WorkerState state) {
    }

    /** {@code GET /api/v1/workers[?alive=true|false]}. */
    void list(Context ctx) {
        List<WorkerInfo> listed = filtered(ctx.queryParam("alive"));
        Map<String, WorkerState> byWorker = states.states(listed.stream().map(WorkerInfo::workerId).toList());
        Answers.json(ctx, mapper, 200, Map.of("workers", listed.stream()
                .map(w -> new WorkerJson(w, byWorker.getOrDefault(w.workerId(), WorkerState.UNKNOWN))).toList()));
    }

    /** {@code GET /api/v1/workers/{worker_id}}. */
    void get(Context ctx) {
        String id = ctx.pathParam("worker_id");
        WorkerInfo worker = workers.find(id).orElseThrow(() -> new WorkerNotFoundException(id));
        Answers.json(ctx, mapper, 200, new WorkerJson(worker, states.states(List.of(id)).getOrDefault(id, WorkerState.UNKNOWN)));
    }

    /** {@code GET /api/v1/workers/{worker_id}/history?check=&from=&to=&step=}. */
    void history(Context ctx) {
        String id = known(ctx);
        Answers.json(ctx, mapper, 200, history.history(id, ctx.queryParam("check"), ctx.queryParam("from"), ctx.queryParam("to"),
                ctx.queryParam("step")));
    }

    /** {@code GET /api/v1/workers/{worker_id}/uptime}. */
    void uptime(Context ctx) {
        Answers.json(ctx, mapper, 200, history.uptime(known(ctx)));
    }

    record Transitions(String workerId, List<TransitionJson> transitions) {
    }

    record TransitionJson(@Nullable String check, String from, String to, boolean flapping, java.time.Instant at,
                          java.util.UUID taskId, dev.vitals.api.state.Reason reason) {

        static TransitionJson of(Transition t) {
            return new TransitionJson(t.check(), t.from().id(), t.to().id(), t.flapping(), t.at(), t.taskId(),
                    t.reason());
        }
    }

    /** {@code GET /api/v1/workers/{worker_id}/transitions[?limit=]}: newest first. */
    void transitions(Context ctx) {
        String id = known(ctx);
        int limit = Answers.limit(ctx.queryParam("limit"), DEFAULT_TRANSITIONS, MAX_TRANSITIONS);
        Answers.json(ctx, mapper, 200, new Transitions(id, states.transitions(id, limit).stream().map(TransitionJson::of).toList()));
    }

    private String known(Context ctx) {
        String id = ctx.pathParam("worker_id");
        Optional<WorkerInfo> listed = workers.find(id);
        if (listed.isEmpty() && states.states(List.of(id)).isEmpty() && !history.knows(id)) {
            throw new WorkerNotFoundException(id);
        }
        return id;
    }

    private List<WorkerInfo> filtered(@Nullable String alive) {
        if (alive == null) {
            return workers.workers();
        }
        if (!alive.equals("true") && !alive.equals("false")) {
            throw new ValidationException("alive", "must be true or false, got '"
                    + Answers.clip(alive) + "'");
        }
        boolean wanted = Boolean.parseBoolean(alive);
        return workers.workers().stream().filter(worker -> worker.alive() == wanted).toList();
    }
}
