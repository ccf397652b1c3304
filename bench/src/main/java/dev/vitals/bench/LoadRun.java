package dev.vitals.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
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
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * Drives the API as {@link LoadOptions} says, each client on a virtual thread of its own with a kept-alive
 * connection. The HTTP client is Apache HttpClient's blocking one: on the same machine as the API, the
 * tool's own CPU is taken from what it measures, and this client costs a fraction of java.net.http's.
 */
public final class LoadRun implements AutoCloseable {

    /** Tasks made before a {@code get} run, to read by id. */
    static final int GET_TASKS = 200;
    private static final long HIGHEST_MICROS = Duration.ofMinutes(1).toNanos() / 1000;

    private final LoadOptions options;
    private final CloseableHttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Recorder recorder = new Recorder(HIGHEST_MICROS, 3);
    private final AtomicLong errors = new AtomicLong();
    private final Map<String, Long> errorsByKind = new ConcurrentHashMap<>();

    public LoadRun(LoadOptions options) {
        this.options = options;
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(options.clients())
                        .setMaxConnPerRoute(options.clients())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(5))
                                .setSocketTimeout(Timeout.ofMinutes(1))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(Timeout.ofSeconds(5)).build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableRedirectHandling()
                .build();
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /** A response's status and body. */
    private record Answer(int status, String body) {
    }

    private Answer send(ClassicHttpRequest request) throws IOException {
        return http.execute(request, response -> new Answer(response.getCode(), response.getEntity() == null ? ""
                : EntityUtils.toString(response.getEntity())));
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
        ClassicHttpRequest request = switch (options.mode()) {
            case E2E -> post(10);
            case THROUGHPUT -> post(30);
            case GET -> authorized(new HttpGet(URI.create(options.api() + "/api/v1/health-checks/"
                    + taskIds.get(ThreadLocalRandom.current().nextInt(taskIds.size())))));
        };
        long started = System.nanoTime();
        try {
            Answer response = send(request);
            long micros = (System.nanoTime() - started) / 1000;
            if (response.status() != 200) {
                error("HTTP " + response.status());
            } else if (options.mode() != LoadOptions.Mode.GET
                    && !response.body().contains("\"status\":\"completed\"")) {
                error("not completed");
            } else {
                recorder.recordValue(Math.min(micros, HIGHEST_MICROS));
            }
        } catch (IOException e) {
            error(e.getClass().getSimpleName());
        }
    }

    private ClassicHttpRequest post(int waitSeconds) {
        HttpPost post = new HttpPost(URI.create(options.api() + "/api/v1/health-checks?wait=" + waitSeconds));
        post.setEntity(new StringEntity("{}", ContentType.APPLICATION_JSON));
        return authorized(post);
    }

    private ClassicHttpRequest authorized(ClassicHttpRequest request) {
        if (options.token() != null) {
            request.setHeader("Authorization", "Bearer " + options.token());
        }
        return request;
    }

    private List<String> makeTasks() throws IOException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < GET_TASKS; i++) {
            Answer response = send(post(10));
            if (response.status() != 200 && response.status() != 202) {
                throw new IOException("cannot make tasks to read: HTTP " + response.status() + " " + response.body());
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
