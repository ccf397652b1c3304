package dev.vitals.worker.health;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vitals.metrics.PrometheusMetrics;
import dev.vitals.model.event.WorkerHeartbeat.WorkerState;
import dev.vitals.model.probe.ProbeReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The worker's small HTTP endpoint, on the JDK's built-in server (plenty for probes, and light):
 *
 * <ul>
 *   <li>{@code GET /health}: the worker's state and counters, 200 for starting or healthy, else 503;</li>
 *   <li>{@code GET /health/ping}: {@code ok};</li>
 *   <li>{@code GET /health/live}: 200 while the process can answer at all;</li>
 *   <li>{@code GET /health/ready}: 200 when started and connected to the broker, else 503 naming why;</li>
 *   <li>{@code GET /health/startup}: 503 until start-up finished, then 200;</li>
 *   <li>{@code GET /metrics}: Prometheus text exposition.</li>
 * </ul>
 */
public final class HealthServer implements AutoCloseable {

    private static final String JSON = "application/json";

    private final HttpServer server;
    private final ExecutorService executor;

    private HealthServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts serving.
     *
     * @param port 0 picks a free port; see {@link #port()}
     * @throws UncheckedIOException when the address cannot be bound, naming it
     */
    public static HealthServer start(String host, int port, WorkerHealth health, PrometheusMetrics metrics,
                                     ObjectMapper json) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port + " for /health (" + e.getMessage()
                    + "): another worker, or another program, listens there: set HEALTH_PORT (or"
                    + " vitals.worker.health.port) to a free port, or stop what listens there (ss -ltnp 'sport = :"
                    + port + "' names it)", e);
        }
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    send(exchange, 405, "text/plain", "method not allowed\n");
                    return;
                }
                switch (exchange.getRequestURI().getPath()) {
                    case "/health" -> {
                        WorkerHealth.Snapshot snapshot = health.snapshot();
                        send(exchange, snapshot.isUp() ? 200 : 503, JSON, encode(json, snapshot));
                    }
                    case "/health/ping" -> send(exchange, 200, "text/plain", "ok");
                    case "/health/live" -> probe(exchange, json, ProbeReport.of(Map.of()));
                    case "/health/ready" -> probe(exchange, json, readiness(health));
                    case "/health/startup" -> probe(exchange, json, startup(health));
                    case "/metrics" -> send(exchange, 200, PrometheusMetrics.CONTENT_TYPE, metrics.scrape());
                    default -> send(exchange, 404, "text/plain", "not found\n");
                }
            }
        });
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vitals-health-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
        return new HealthServer(server, executor);
    }

    static ProbeReport readiness(WorkerHealth health) {
        WorkerState state = health.state();
        ProbeReport.Component worker = switch (state) {
            case STARTING -> ProbeReport.Component.down("starting");
            case STOPPED -> ProbeReport.Component.down("stopping");
            default -> ProbeReport.Component.up();
        };
        ProbeReport.Component broker = health.isBrokerConnected() ? ProbeReport.Component.up()
                : ProbeReport.Component.down(health.brokerNotConnectedReason());
        return ProbeReport.of(Map.of("worker", worker, "broker", broker));
    }

    static ProbeReport startup(WorkerHealth health) {
        return ProbeReport.of(Map.of("startup", health.state() == WorkerState.STARTING
                ? ProbeReport.Component.down("starting") : ProbeReport.Component.up()));
    }

    /** The port actually bound. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void probe(HttpExchange exchange, ObjectMapper json, ProbeReport report) throws IOException {
        send(exchange, report.status().httpStatus(), JSON, encode(json, report));
    }

    private static String encode(ObjectMapper json, Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
