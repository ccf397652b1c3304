package dev.vitals.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.alert.StoredAlert;
import dev.vitals.api.state.Transition;
import dev.vitals.api.stream.EventFeed;
import dev.vitals.api.stream.StreamEvent;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v1/stream}: server-sent events of what happens ({@code task}, {@code state}, {@code alert}), a
 * {@code snapshot} when the reader should read everything afresh, and a {@code heartbeat} when nothing happened for
 * a while. Each event's id is a position in the store that every replica shares: a reader that reconnects with
 * {@code Last-Event-ID} (or {@code ?last_event_id=}, for clients that cannot set headers) goes on from it on any
 * replica.
 */
final class StreamRoutes {

    static final String STREAM = "/api/v1/stream";

    private final EventFeed feed;
    private final ObjectMapper mapper;
    private final SseHandler sse = new SseHandler(this::stream);

    StreamRoutes(EventFeed feed, ObjectMapper mapper) {
        this.feed = feed;
        this.mapper = mapper;
    }

    /** Answers 406 to a caller that does not accept {@code text/event-stream}, rather than an empty 200. */
    void handle(Context ctx) throws Exception {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new ProblemException(406, "GET " + STREAM + " answers server-sent events only: ask with"
                    + " Accept: text/event-stream (curl -N -H 'Accept: text/event-stream' …)");
        }
        sse.handle(ctx);
    }

    private void stream(SseClient client) {
        client.keepAlive();
        String lastEventId = client.ctx().header("Last-Event-ID");
        if (lastEventId == null) {
            lastEventId = client.ctx().queryParam("last_event_id");
        }
        EventFeed.Subscription subscription = feed.subscribe(lastEventId, event -> {
            client.sendEvent(event.kind().id(), json(event), event.position().id());
            return !client.terminated();
        });
        client.onClose(subscription::close);
    }

    private String json(StreamEvent event) {
        Object data = switch (event.data()) {
            case Transition transition -> transition(transition);
            case StoredAlert alert -> AlertRoutes.alert(alert);
            case String reason -> Map.of("reason", reason);
            case null -> Map.of();
            default -> event.data();
        };
        try {
            return mapper.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> transition(Transition transition) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("worker_id", transition.workerId());
        json.put("transition", WorkerRoutes.TransitionJson.of(transition));
        return json;
    }
}
