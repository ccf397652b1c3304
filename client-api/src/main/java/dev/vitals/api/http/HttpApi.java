package dev.vitals.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.model.probe.ProbeReport;
import dev.vitals.api.alert.AlertStore;
import dev.vitals.api.idempotency.IdempotentSubmissions;
import dev.vitals.api.probe.Readiness;
import dev.vitals.api.schedule.ScheduleService;
import dev.vitals.api.task.TaskService;
import dev.vitals.api.metrics.ApiMetrics;
import dev.vitals.api.worker.WorkerDirectory;
import dev.vitals.metrics.PrometheusMetrics;
import dev.vitals.api.history.FleetHistory;
import dev.vitals.api.history.WorkerHistory;
import dev.vitals.api.stream.EventFeed;
import dev.vitals.api.state.StateStore;
import dev.vitals.tracing.Tracing;
import java.util.List;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.Endpoint;
import io.javalin.util.JavalinBindException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The HTTP side of the API: the routes of the contract, the probes, bearer authentication of
 * {@code /api/v1/**}, {@code application/problem+json} for every error, unknown routes and methods
 * included, and the dashboard's files at {@code /}.
 */
public final class HttpApi {

    /** Where the dashboard's files are, on the class path; served at {@code /}. */
    static final String DASHBOARD = "/dashboard";
    /**
     * The dashboard's files are read again on every load (they change with the API), and may load only what the API
     * serves itself. Inline styles are allowed: the bars' widths are set that way.
     */
    private static final Map<String, String> DASHBOARD_HEADERS = Map.of(
            "Cache-Control", "no-cache",
            "X-Content-Type-Options", "nosniff",
            "Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
                    + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'");

    private final Javalin app;
    private final ObjectMapper mapper;
    private final String host;
    private final int port;

    /**
     * How the server listens and what it accepts.
     *
     * @param port         0 picks a free port
     * @param tokens       the bearer tokens of {@code /api/v1/**}; none: no authentication
     * @param maxBodyBytes larger request bodies are answered 413
     * @param maxWait      the longest {@code ?wait=} a caller may ask for
     */
    public record Settings(String host, int port, List<String> tokens, long maxBodyBytes, Duration maxWait) {
        public Settings {
            tokens = List.copyOf(tokens);
        }
    }

    /**
     * What the routes serve.
     *
     * @param states          workers' states and transitions
     * @param history         workers' history and uptime
     * @param startupFinished answers the startup probe
     * @param prometheus      what {@code /metrics} serves
     * @param fleet           the history of every worker at once, for the fleet page
     * @param events          what {@code /api/v1/stream} sends
     * @param idempotency     {@code Idempotency-Key} on {@code POST /api/v1/health-checks}
     */
    public record Services(TaskService tasks, IdempotentSubmissions idempotency, ScheduleService schedules, WorkerDirectory workers, StateStore states,
                           WorkerHistory history, Readiness readiness, BooleanSupplier startupFinished,
                           PrometheusMetrics prometheus, AlertStore alerts, FleetHistory fleet, EventFeed events,
                           Clock clock) {
    }

    /**
     * @param metrics records every request
     * @param tracing a span per request when on; the task JSON then carries {@code trace_id}
     */
    public HttpApi(Settings settings, Services services, ApiMetrics metrics, ObjectMapper mapper, Tracing tracing) {
        this.mapper = mapper;
        this.host = settings.host();
        this.port = settings.port();
        long maxBodyBytes = settings.maxBodyBytes();
        WorkerDirectory workers = services.workers();
        Readiness readiness = services.readiness();
        PrometheusMetrics prometheus = services.prometheus();
        Problems problems = new Problems(mapper);
        TaskRoutes taskRoutes = new TaskRoutes(services.tasks(), services.idempotency(),
                new TaskJson(mapper, tracing.isOn()), mapper, maxBodyBytes, settings.maxWait());
        ScheduleRoutes scheduleRoutes = new ScheduleRoutes(services.schedules(), mapper, maxBodyBytes);
        WorkerRoutes workerRoutes = new WorkerRoutes(workers, services.states(), services.history(), mapper);
        BearerAuth auth = new BearerAuth(settings.tokens());
        HttpTracing traces = tracing.isOn() ? new HttpTracing(tracing) : null;
        AlertRoutes alertRoutes = new AlertRoutes(services.alerts(), mapper, services.clock(), maxBodyBytes);
        FleetRoutes fleetRoutes = new FleetRoutes(workers, services.states(), services.fleet(), services.alerts(), mapper,
                services.clock());
        StreamRoutes streamRoutes = new StreamRoutes(services.events(), mapper);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = maxBodyBytes;
            config.concurrency.useVirtualThreads = true;
            config.requestLogger.http((ctx, millis) -> {
                metrics.httpRequest(ctx.method().name(), route(ctx), ctx.statusCode(),
                        Duration.ofNanos((long) (millis * 1_000_000)));
                if (traces != null) {
                    traces.ended(ctx, route(ctx));
                }
            });
            ProblemErrorHandler errors = new ProblemErrorHandler(problems);
            config.jetty.modifyServer(server -> server.setErrorHandler(errors));
            config.jetty.modifyServletContextHandler(context -> {
                context.setErrorHandler(errors);
                if (traces != null) {
                    traces.install(context);
                }
            });

            config.staticFiles.add(dashboard -> {
                dashboard.hostedPath = "/";
                dashboard.directory = DASHBOARD;
                dashboard.location = Location.CLASSPATH;
                dashboard.headers = DASHBOARD_HEADERS;
            });
            config.routes.before("/api/*", auth);
            config.routes.post(TaskRoutes.BASE, taskRoutes::submit);
            config.routes.get(TaskRoutes.BASE, taskRoutes::list);
            config.routes.get(TaskRoutes.BASE + "/{task_id}", taskRoutes::get);
            config.routes.post(ScheduleRoutes.BASE, scheduleRoutes::create);
            config.routes.get(ScheduleRoutes.BASE, scheduleRoutes::list);
            config.routes.get(ScheduleRoutes.BASE + "/{name}", scheduleRoutes::get);
            config.routes.put(ScheduleRoutes.BASE + "/{name}", scheduleRoutes::replace);
            config.routes.delete(ScheduleRoutes.BASE + "/{name}", scheduleRoutes::delete);
            config.routes.get(WorkerRoutes.BASE, workerRoutes::list);
            config.routes.get(WorkerRoutes.ONE, workerRoutes::get);
            config.routes.get(WorkerRoutes.ONE + "/history", workerRoutes::history);
            config.routes.get(WorkerRoutes.ONE + "/uptime", workerRoutes::uptime);
            config.routes.get(WorkerRoutes.ONE + "/transitions", workerRoutes::transitions);
            config.routes.get(WorkerRoutes.ONE + "/badge.svg", workerRoutes::stateBadge);
            config.routes.get(WorkerRoutes.ONE + "/uptime.svg", workerRoutes::uptimeBadge);
            config.routes.get(FleetRoutes.FLEET, fleetRoutes::fleet);
            config.routes.get(StreamRoutes.STREAM, streamRoutes::handle);
            config.routes.get(AlertRoutes.ALERTS, alertRoutes::list);
            config.routes.post(AlertRoutes.SILENCES, alertRoutes::createSilence);
            config.routes.get(AlertRoutes.SILENCES, alertRoutes::listSilences);
            config.routes.get(AlertRoutes.SILENCES + "/{silence_id}", alertRoutes::getSilence);
            config.routes.delete(AlertRoutes.SILENCES + "/{silence_id}", alertRoutes::deleteSilence);
            config.routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json")
                    .result(HttpApi.class.getResourceAsStream("/openapi.json")));
            config.routes.get("/metrics", ctx -> ctx.contentType(PrometheusMetrics.CONTENT_TYPE).result(prometheus.scrape()));
            config.routes.get("/health/ping", ctx -> ctx.contentType("text/plain").result("ok"));
            config.routes.get("/health/live", ctx -> probe(ctx, ProbeReport.of(Map.of())));
            config.routes.get("/health/ready", ctx -> probe(ctx, readiness.check()));
            config.routes.get("/health/startup", ctx -> probe(ctx, ProbeReport.of(Map.of("startup",
                    services.startupFinished().getAsBoolean() ? ProbeReport.Component.up() : ProbeReport.Component.down("starting")))));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> problems.answer(ctx, e));
            config.routes.exception(Exception.class, (e, ctx) -> {
                problems.answer(ctx, e);
                if (traces != null) {
                    traces.failed(ctx, e);
                }
            });
        });
    }

    /**
     * Starts listening; returns once the port is bound.
     *
     * @throws IllegalStateException when the port is taken, saying which and what to do
     */
    public HttpApi start() {
        if (port != 0) {
            // Asked first, so that a taken port is said once, here, rather than after the server's own error line.
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(host, port));
            } catch (IOException e) {
                throw portTaken(e);
            }
        }
        try {
            app.start(host, port);
        } catch (JavalinBindException e) {
            throw portTaken(e);
        }
        return this;
    }

    private IllegalStateException portTaken(Exception cause) {
        return new IllegalStateException("cannot listen on " + host + ":" + port + " for the API: the port is taken"
                + " (another API, or another program, listens there): set VITALS_API_PORT (or vitals.api.port) to a"
                + " free port, or stop what listens there (ss -ltnp 'sport = :" + port + "' names it)", cause);
    }

    /** The port listened on (the one chosen when configured as 0). */
    public int port() {
        return app.port();
    }

    /** Stops accepting and closes the server. */
    public void stop() {
        app.stop();
    }

    /** The route template that served the request; empty when none did (refused by a before-handler, or 404). */
    private static String route(Context ctx) {
        Endpoint served = ctx.endpoints().lastHttpEndpoint();
        return served == null ? "" : served.path;
    }

    private void probe(Context ctx, ProbeReport report) {
        Answers.json(ctx, mapper, report.status().httpStatus(), report);
    }
}
