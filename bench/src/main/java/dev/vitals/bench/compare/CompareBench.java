package dev.vitals.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.bench.LoadOptions;
import dev.vitals.bench.LoadResult;
import dev.vitals.bench.LoadRun;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code vitals bench compare}: Vitals and the FastAPI + Celery peer, one after the other in one invocation,
 * with the same client ({@link LoadRun}: Vitals with {@code ?wait}, the peer polled), the same warm-up and the
 * same runs, then the issue's targets as ratios ({@link Comparison}).
 *
 * <p>For each system: start it (Vitals with {@code bin/vitals up} on a fresh embedded store; the peer with its
 * {@code start.sh}); for Vitals, a throughput run right after ready (cold); the warm-up; a measured throughput
 * run, with the CPU of the API, the workers and the broker from {@code /proc} and the workers' resident memory
 * sampled; one client's checks one after the other; wrk on GET by id and on {@code /health/ping}; stop it.
 */
public final class CompareBench {

    private final CompareOptions options;
    private final PrintStream out;
    private final ProcStats proc = ProcStats.system();
    private final ObjectMapper json = new ObjectMapper();

    private CompareBench(CompareOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.contains("-h") || args.contains("--help")) {
            out.print(LoadOptions.USAGE);
            return 0;
        }
        CompareOptions options;
        try {
            options = CompareOptions.parse(args, Path.of(System.getenv().getOrDefault("VITALS_ROOT", "."))
                    .toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            err.println("vitals bench compare: " + e.getMessage());
            err.print(LoadOptions.USAGE);
            return 2;
        }
        try {
            return new CompareBench(options, out).compare();
        } catch (IOException e) {
            err.println("vitals bench compare: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }

    private int compare() throws Exception {
        Path work = Files.createTempDirectory("vitals-compare-");
        out.println("compare: " + machine() + "; load average at start " + loadAverage());
        out.printf(Locale.ROOT, "compare: each system: warm-up %d s, throughput %d s with %d clients, %d checks by one"
                        + " client, wrk %d s on GET by id and on /health/ping; work files in %s%n",
                options.warmup().toSeconds(), options.duration().toSeconds(), options.clients(), options.count(),
                options.duration().toSeconds(), work);
        long broker = brokerPid();
        boolean wrk = Wrk.installed();
        if (!wrk) {
            out.println("compare: wrk is not installed (apt-get install wrk): GET rates are not measured");
        }

        Figures vitals = measureVitals(work, broker, wrk);
        Figures peer = Figures.NONE;
        if (options.peerPresent()) {
            peer = measurePeer(work, broker, wrk);
        } else {
            out.println("compare: the peer is absent (no executable start.sh and stop.sh in " + options.peer()
                    + "): Vitals alone is measured; every ratio to the peer is '–'");
        }
        out.println();
        out.println("compare: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", " + machine()
                + "; load average at the end " + loadAverage());
        out.print(Comparison.table(Comparison.rows(peer, vitals)));
        return 0;
    }

    private Figures measureVitals(Path work, long broker, boolean wrk) throws Exception {
        if (options.vitals() != null) {
            out.println("compare: Vitals at " + options.vitals() + " (running already: no cold run, CPU or memory)");
            return measure("Vitals", options.vitals(), Duration.ZERO, null, broker, wrk, Figures.NONE);
        }
        int port = options.apiPort();
        Map<String, String> environment = Map.of(
                "VITALS_API_PORT", Integer.toString(port),
                "HEALTH_PORT", Integer.toString(port + 1),
                "VITALS_LOG_DIR", work.resolve("vitals-logs").toString(),
                "VITALS_DB_URL", "jdbc:h2:file:" + work.resolve("vitals-store")
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "VITALS_API_SCHEDULES", "[]");
        out.println("compare: starting Vitals (bin/vitals up, API on port " + port + ", workers' health on "
                + (port + 1) + " and " + (port + 2) + ", broker " + System.getenv().getOrDefault("RABBITMQ_URI",
                "amqp://localhost:5672/%2f (RABBITMQ_URI unset)").replaceAll("//[^@/]*@", "//") + ")");
        try (Started vitals = Started.vitalsUp(options.root(), environment, work.resolve("vitals-up.log"),
                Duration.ofMinutes(3))) {
            URI base = URI.create("http://127.0.0.1:" + port);
            Figures figures = Figures.NONE;
            double idle = largestWorkerMb(vitals);
            if (!options.cold().isZero()) {
                LoadResult cold = load(base, LoadOptions.Mode.THROUGHPUT, options.cold(), 1, Duration.ZERO);
                out.println("compare: Vitals cold, first " + options.cold().toSeconds() + " s after ready: "
                        + cold.summary());
                figures = figures.withCold(cold.throughput(), cold.percentileMillis(50));
            }
            figures = measure("Vitals", base, Duration.ZERO, vitals, broker, wrk, figures);
            return figures.withMemory(idle, figures.workerRssLoadMb());
        }
    }

    private Figures measurePeer(Path work, long broker, boolean wrk) throws Exception {
        int port = options.peerPort();
        Path runDir = work.resolve("peer-run");
        Map<String, String> environment = Map.of(
                "PEER_PORT", Integer.toString(port),
                "PEER_REDIS_PORT", Integer.toString(port + 1),
                "PEER_RUN_DIR", runDir.toString(),
                "PEER_VHOST", "vitals-compare-peer");
        out.println("compare: starting the peer (" + options.peer().resolve("start.sh") + ", HTTP on port " + port
                + ", redis-server on " + (port + 1) + ", RabbitMQ vhost vitals-compare-peer)");
        try (Started peer = Started.peer(options.peer(), environment, runDir, work.resolve("peer.log"),
                Duration.ofMinutes(3))) {
            double idle = largestWorkerMb(peer);
            Figures figures = measure("peer", URI.create("http://127.0.0.1:" + port), options.pollInterval(), peer,
                    broker, wrk, Figures.NONE);
            return figures.withMemory(idle, figures.workerRssLoadMb());
        }
    }

    /** The warm-up and the measured runs against one system. */
    private Figures measure(String name, URI base, Duration pollInterval, @Nullable Started processes, long broker,
                            boolean wrk, Figures figures) throws Exception {
        if (!options.warmup().isZero()) {
            LoadResult warmup = load(base, LoadOptions.Mode.THROUGHPUT, options.warmup(), 1, pollInterval);
            out.println("compare: " + name + " warm-up: " + warmup.summary());
        }
        List<Long> measured = processes == null ? List.of() : processes.apiAndWorkers();
        double cpuBefore = proc.cpuMillis(measured);
        double brokerBefore = broker > 0 ? proc.cpuMillis(List.of(broker)) : Double.NaN;
        double[] largestWorker = {Double.NaN};
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("compare-rss").factory());
        if (processes != null) {
            largestWorker[0] = largestWorkerMb(processes);
            sampler.scheduleAtFixedRate(() -> largestWorker[0] = Math.max(largestWorker[0],
                    largestWorkerMb(processes)), 0, 500, TimeUnit.MILLISECONDS);
        }
        LoadResult throughput = load(base, LoadOptions.Mode.THROUGHPUT, options.duration(), 1, pollInterval);
        sampler.shutdownNow();
        if (throughput.successes() == 0) {
            throw new IOException("no check completed at " + base + " in the throughput run: "
                    + throughput.errorsByKind());
        }
        double checks = Math.max(1, throughput.successes());
        double cpu = processes == null ? Double.NaN : (proc.cpuMillis(measured) - cpuBefore) / checks;
        double brokerCpu = broker > 0 ? (proc.cpuMillis(List.of(broker)) - brokerBefore) / checks : Double.NaN;
        out.println("compare: " + name + " throughput: " + throughput.summary());
        out.printf(Locale.ROOT, "compare: %s CPU per check: API and workers%s %.3f ms, broker %.3f ms%n", name,
                processes != null && !processes.store().isEmpty() ? " (and redis-server)" : "", cpu, brokerCpu);
        figures = figures.withThroughput(throughput.throughput(), throughput.percentileMillis(50))
                .withCpu(cpu, brokerCpu).withMemory(figures.workerRssIdleMb(), largestWorker[0]);

        LoadResult e2e = load(base, LoadOptions.Mode.E2E, Duration.ofMinutes(5), options.count(), pollInterval);
        out.println("compare: " + name + " one client: " + e2e.summary());
        figures = figures.withE2e(e2e.percentileMillis(50), e2e.percentileMillis(99));

        if (wrk) {
            String task = finishedTask(base);
            double get = Wrk.rate(base + "/api/v1/health-checks/" + task, options.clients(), options.duration());
            double ping = Wrk.rate(base + "/health/ping", options.clients(), options.duration());
            out.printf(Locale.ROOT, "compare: %s wrk, %d connections: GET by id %.0f/s, /health/ping %.0f/s%n", name,
                    options.clients(), get, ping);
            figures = figures.withGets(get, ping);
        }
        return figures;
    }

    private LoadResult load(URI base, LoadOptions.Mode mode, Duration duration, int count, Duration pollInterval)
            throws Exception {
        int clients = mode == LoadOptions.Mode.E2E ? 1 : options.clients();
        try (LoadRun run = new LoadRun(new LoadOptions(mode, base, clients, count, duration, Duration.ZERO, null,
                null, pollInterval))) {
            return run.run();
        }
    }

    /** A task that has completed, made for the GET runs: POST, then GET until completed (at most 30 s). */
    private String finishedTask(URI base) throws IOException, InterruptedException {
        // HTTP/1.1 only: uvicorn refuses the upgrade to h2c that the JDK's client asks for by default
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/health-checks"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String id = json.readTree(posted.body()).path("task_id").asText("");
            if (id.isEmpty()) {
                throw new IOException("no task_id in the answer to a POST: HTTP " + posted.statusCode() + " "
                        + posted.body());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                HttpResponse<String> got = http.send(HttpRequest.newBuilder(
                        URI.create(base + "/api/v1/health-checks/" + id + "?wait=5")).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode task = json.readTree(got.body());
                if ("completed".equals(task.path("status").asText())) {
                    return id;
                }
                Thread.sleep(50);
            }
            throw new IOException("task " + id + " did not complete within 30 s");
        }
    }

    /** The resident memory of the largest worker (a Celery worker with its pool), MB; NaN when none is read. */
    private double largestWorkerMb(Started processes) {
        double largest = Double.NaN;
        for (List<Long> worker : processes.workers()) {
            var kb = proc.residentKb(worker);
            if (kb.isPresent()) {
                largest = Double.isNaN(largest) ? kb.getAsLong() / 1024.0 : Math.max(largest, kb.getAsLong() / 1024.0);
            }
        }
        return largest;
    }

    private long brokerPid() {
        if (options.brokerPid() > 0) {
            return options.brokerPid();
        }
        List<Long> nodes = proc.named("beam.smp");
        if (nodes.size() == 1) {
            out.println("compare: the broker is beam.smp pid " + nodes.getFirst() + "; other users of this node"
                    + " add to its CPU (hold /tmp/vitals-bench.lock, or use a node of your own with --broker-pid)");
            return nodes.getFirst();
        }
        out.println("compare: " + nodes.size() + " RabbitMQ nodes (beam.smp) here: name one with --broker-pid;"
                + " broker CPU is not measured");
        return 0;
    }

    private static String machine() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown host";
        }
        String model = "";
        long memoryKb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && model.isEmpty()) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memoryKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // a machine that does not tell: its name and core count still do
        }
        return String.format(Locale.ROOT, "%s, %d cores (%s), %.0f GiB, Java %s", host,
                Runtime.getRuntime().availableProcessors(), model, memoryKb / 1024.0 / 1024.0,
                Runtime.version().feature());
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
