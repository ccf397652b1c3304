package dev.vitals.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Drives the API as {@link LoadOptions} says, each client on a virtual thread of its own. */
public final class LoadRun {

    /** Tasks made before a {@code get} run, to read by id. */
    static final int GET_TASKS = 200;
    private static final long HIGHEST_MICROS = Duration.ofMinutes(1).toNanos() / 1000;

    private final LoadOptions options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
    private final AtomicLong errors = new AtomicLong();
    private final Map<String, Long> errorsByKind = new ConcurrentHashMap<>();

    public LoadRun(LoadOptions options) {
        this.options = options;
    }

    public LoadResult run() throws Exception {
        List<String> taskIds = options.mode() == LoadOptions.Mode.GET ? makeTasks() : List.of();
        AtomicInteger remaining = new AtomicInteger(options.count());
        long deadline = System.nanoTime() + options.duration().toNanos();
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < options.clients(); c++) {
                running.add(clients.submit(() -> {
                    while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
                        if (options.mode() == LoadOptions.Mode.E2E && remaining.getAndDecrement() <= 0) {
                            return null;
                        }
                        once(taskIds);
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        Histogram latency = recorder.getIntervalHistogram();
        return new LoadResult(options.mode(), options.clients(), elapsed, latency, errors.get(),
                new TreeMap<>(errorsByKind));
    }

    private void once(List<String> taskIds) {
        HttpRequest request = switch (options.mode()) {
            case E2E -> post(10);
            case THROUGHPUT -> post(30);
            case GET -> authorized(HttpRequest.newBuilder(URI.create(options.api() + "/api/v1/health-checks/"
                    + taskIds.get(ThreadLocalRandom.current().nextInt(taskIds.size()))))).build();
        };
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - started) / 1000;
            if (response.statusCode() != 200) {
                error("HTTP " + response.statusCode());
            } else if (options.mode() != LoadOptions.Mode.GET
                    && !response.body().contains("\"status\":\"completed\"")) {
                error("not completed");
            } else {
                recorder.recordValue(Math.min(micros, HIGHEST_MICROS));
            }
        } catch (IOException e) {
            error(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error("interrupted");
        }
    }

    private HttpRequest post(int waitSeconds) {
        return authorized(HttpRequest.newBuilder(URI.create(options.api() + "/api/v1/health-checks?wait=" + waitSeconds)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return options.token() == null ? request : request.header("Authorization", "Bearer " + options.token());
    }

    private List<String> makeTasks() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < GET_TASKS; i++) {
            HttpResponse<String> response = http.send(post(10), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 && response.statusCode() != 202) {
                throw new IOException("cannot make tasks to read: HTTP " + response.statusCode() + " " + response.body());
            }
            JsonNode task = json.readTree(response.body());
            ids.add(task.path("task_id").asText());
        }
        return ids;
    }

    private void error(String kind) {
        errors.incrementAndGet();
        errorsByKind.merge(kind, 1L, Long::sum);
    }
}
