package dev.vitals.api.http;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.history.WorkerHistory;
import dev.vitals.api.state.StateStore;
import dev.vitals.api.state.Transition;
import dev.vitals.api.state.WorkerState;
import dev.vitals.api.state.WorkerStatus;
import dev.vitals.api.history.Uptime;
import dev.vitals.api.worker.WorkerDirectory;
import dev.vitals.api.worker.WorkerInfo;
import dev.vitals.api.worker.WorkerNotFoundException;
import dev.vitals.model.ValidationException;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
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
    /** The uptime badge's window when {@code window} is not given. */
    static final String DEFAULT_BADGE_WINDOW = "30d";

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

    /** {@code GET /api/v1/workers/{worker_id}/badge.svg}: its state, {@code gone} when it stopped being alive. */
    void stateBadge(Context ctx) {
        String id = known(ctx);
        boolean gone = workers.find(id).map(worker -> !worker.alive()).orElse(false);
        WorkerStatus status = states.states(List.of(id)).getOrDefault(id, WorkerState.UNKNOWN).overall().status();
        Badge.Colour colour = gone ? Badge.Colour.GREY : switch (status) {
            case HEALTHY -> Badge.Colour.GREEN;
            case DEGRADED -> Badge.Colour.AMBER;
            case UNHEALTHY -> Badge.Colour.RED;
            case UNKNOWN -> Badge.Colour.GREY;
        };
        svg(ctx, new Badge(Answers.clip(id), gone ? "gone" : status.id(), colour));
    }

    /** {@code GET /api/v1/workers/{worker_id}/uptime.svg?window=30d}: its uptime over one window. */
    void uptimeBadge(Context ctx) {
        String id = known(ctx);
        String window = Objects.requireNonNullElse(ctx.queryParam("window"), DEFAULT_BADGE_WINDOW);
        if (!WorkerHistory.UPTIME_WINDOWS.containsKey(window)) {
            throw new ValidationException("window", "must be one of " + WorkerHistory.UPTIME_WINDOWS.keySet() + ", got '"
                    + Answers.clip(window) + "'");
        }
        Uptime uptime = history.uptime(id).windows().get(window);
        Double share = uptime.uptime();
        String value = share == null ? "no runs" : percent(share);
        Badge.Colour colour = share == null ? Badge.Colour.GREY : share >= 0.999 ? Badge.Colour.GREEN
                : share >= 0.99 ? Badge.Colour.AMBER : Badge.Colour.RED;
        svg(ctx, new Badge("uptime " + window, value, colour));
    }

    /** 0.99951 → {@code 99.95%}; never rounded up to 100 % unless nothing failed. */
    static String percent(double share) {
        if (share >= 1.0) {
            return "100%";
        }
        double down = Math.floor(share * 10_000) / 100;
        return String.format(Locale.ROOT, "%.2f%%", down);
    }

    private static void svg(Context ctx, Badge badge) {
        // Image proxies (GitHub's among them) cache unless told not to: a badge must show the state of now.
        ctx.header("Cache-Control", "no-cache, max-age=0");
        ctx.contentType("image/svg+xml;charset=utf-8").result(badge.svg());
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
