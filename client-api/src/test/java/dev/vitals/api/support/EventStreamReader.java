package dev.vitals.api.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** Reads {@code GET /api/v1/stream} as a browser would, parsing its server-sent events as they come. */
public final class EventStreamReader implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One server-sent event. */
    public record Event(String type, String id, JsonNode data) {
    }

    private final HttpClient client = HttpClient.newHttpClient();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Event> seen = new ArrayList<>();
    private final List<Event> pending = new ArrayList<>();
    private final InputStream body;
    private final Thread reader;

    /** Connects; with {@code lastEventId}, as a reconnect that goes on from it. */
    public EventStreamReader(int port, @Nullable String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/stream"))
                .header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the stream answered " + response.statusCode());
            }
            body = response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        reader = Thread.ofVirtual().start(this::read);
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String type = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty()) {
                    if (type != null) {
                        events.add(new Event(type, id, JSON.readTree(data.isEmpty() ? "{}" : data.toString())));
                    }
                    type = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    /**
     * The first event not returned yet that matches, waiting at most {@code timeout} for it: events that came before
     * it and did not match stay for later calls.
     */
    public Event next(Predicate<Event> wanted, Duration timeout) throws InterruptedException {
        for (Event event : pending) {
            if (wanted.test(event)) {
                pending.remove(event);
                return event;
            }
        }
        long end = System.nanoTime() + timeout.toNanos();
        for (Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS); event != null;
             event = events.poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            seen.add(event);
            if (wanted.test(event)) {
                return event;
            }
            pending.add(event);
        }
        throw new AssertionError("no such event within " + timeout + "; got " + seen);
    }

    /** Every event received so far, in order. */
    public List<Event> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() throws IOException {
        body.close();
        reader.interrupt();
        client.close();
    }
}
