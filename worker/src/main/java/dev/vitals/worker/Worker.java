package dev.vitals.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.impl.MicrometerMetricsCollector;
import dev.vitals.broker.BrokerConnection;
import dev.vitals.broker.BrokerStatus;
import dev.vitals.broker.ConfirmingPublisher;
import dev.vitals.broker.Declaration;
import dev.vitals.broker.Topology;
import dev.vitals.metrics.PrometheusMetrics;
import dev.vitals.model.event.WorkerHeartbeat;
import dev.vitals.model.event.WorkerHeartbeat.WorkerState;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.tracing.Tracing;
import dev.vitals.worker.check.HealthCheck;
import dev.vitals.worker.collect.CgroupFs;
import dev.vitals.worker.collect.CpuSampler;
import dev.vitals.worker.collect.MachineCollectors;
import dev.vitals.worker.collect.MetricUnavailableException;
import dev.vitals.worker.collect.UptimeReader;
import dev.vitals.worker.health.HealthServer;
import dev.vitals.worker.health.WorkerHealth;
import dev.vitals.worker.health.WorkerMetrics;
import dev.vitals.worker.messaging.EventPublisher;
import dev.vitals.worker.messaging.OwnQueue;
import dev.vitals.worker.messaging.TaskConsumer;
import dev.vitals.worker.messaging.TaskParser;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;

/**
 * A running worker: the CPU sampler, the health endpoint, the broker connection, the task consumer and
 * the heartbeats, started in that order and stopped in the reverse one.
 */
public final class Worker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    /** Longest wait at start-up for the CPU sampler's first window, so early tasks get a CPU figure. */
    private static final Duration FIRST_CPU_WINDOW_WAIT = Duration.ofSeconds(2);

    private final WorkerConfig config;
    private final Clock clock;
    private final Instant startedAt;
    private final Local local;
    private final Wired wired;
    private final ScheduledExecutorService heartbeats;
    private boolean stopped;

    private Worker(WorkerConfig config, Clock clock, Instant startedAt, Local local, Wired wired) {
        this.config = config;
        this.clock = clock;
        this.startedAt = startedAt;
        this.local = local;
        this.wired = wired;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vitals-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * What runs without the broker: the CPU sampler, the health endpoint and the metrics it serves, the broker's
     * status that the endpoint reports, and tracing.
     */
    private record Local(CpuSampler sampler, @Nullable CgroupFs cgroups, PrometheusMetrics prometheus, WorkerHealth health,
                         HealthServer healthServer, BrokerStatus broker, Tracing tracing) implements AutoCloseable {
        @Override
        public void close() {
            healthServer.close();
            prometheus.close();
            sampler.close();
            tracing.close();
        }
    }

    /** What a worker runs on one broker connection, made once the topology is declared. */
    private record Wired(BrokerConnection connection, ConfirmingPublisher publisher, EventPublisher events,
                         TaskConsumer consumer, OwnQueue ownQueue) implements AutoCloseable {
        /** Closes the publisher and the connection, which stops the consumer with it. */
        @Override
        public void close() {
            publisher.close();
            connection.close();
        }
    }

    /**
     * Starts a worker and returns once it consumes tasks. While the broker is unreachable, refuses it, or holds a
     * queue that conflicts with Vitals' topology, it keeps trying with backoff, with {@code /health} answering
     * {@code starting} and {@code /health/ready} the reason, until {@code keepTrying} says stop. Whatever it
     * started is stopped again when it cannot finish.
     *
     * @throws IOException when the broker could not be set up with and {@code keepTrying} said stop; one line
     * @throws java.io.UncheckedIOException when the health port cannot be bound, saying what to do
     */
    public static Worker start(WorkerConfig config, Clock clock, BooleanSupplier keepTrying)
            throws IOException, InterruptedException {
        return start(config, clock, keepTrying, Tracing.fromEnvironment("vitals-worker"));
    }

    /**
     * As {@link #start(WorkerConfig, Clock, BooleanSupplier)}, with the given tracing (closed with the worker)
     * rather than the one the {@code OTEL_*} environment configures.
     */
    public static Worker start(WorkerConfig config, Clock clock, BooleanSupplier keepTrying, Tracing tracing)
            throws IOException, InterruptedException {
        Instant startedAt = clock.instant();
        ObjectMapper json = VitalsJson.newMapper();
        SystemInfo system = new SystemInfo();
        Local local;
        try {
            local = startLocal(config, clock, system, json, tracing);
        } catch (RuntimeException e) {
            tracing.close();
            throw e;
        }
        try {
            WorkerHealth health = local.health();
            WorkerMetrics metrics = new WorkerMetrics(local.prometheus().registry(), config.workerId(), health);
            HealthCheck healthCheck = new HealthCheck(
                    MachineCollectors.forThisMachine(system, local.sampler(), config.watchedPaths(), clock,
                            local.cgroups(), config.gradeScope()),
                    config.thresholds(), config.workerId(), config.hostname(), clock,
                    new UptimeReader(system.getOperatingSystem())::uptime, config.shareReadingsWithin(), metrics,
                    tracing);
            awaitFirstCpuWindow(local.sampler());
            Wired wired = wire(config, clock, keepTrying, local, healthCheck, json);
            try {
                health.started();
                Worker worker = new Worker(config, clock, startedAt, local, wired);
                worker.heartbeats.scheduleAtFixedRate(worker::heartbeat, 0, config.heartbeatInterval().toMillis(),
                        TimeUnit.MILLISECONDS);
                log.info("Worker {} on {} consumes {} and {} (prefetch {}); /health on port {}", config.workerId(),
                        config.hostname(), Topology.TASK_QUEUE, Topology.workerQueue(config.workerId()),
                        config.prefetch(), local.healthServer().port());
                return worker;
            } catch (RuntimeException e) {
                wired.close();
                throw e;
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            local.close();
            throw e;
        }
    }

    /** Starts the CPU sampler and the health endpoint, which answers {@code starting} until the broker is set up. */
    private static Local startLocal(WorkerConfig config, Clock clock, SystemInfo system, ObjectMapper json,
                                    Tracing tracing) {
        CgroupFs cgroups = MachineCollectors.cgroupsFor(config.gradeScope(), system);
        CpuSampler sampler = new CpuSampler(system.getHardware().getProcessor(), cgroups, config.cpuSampleInterval(),
                clock);
        sampler.start();
        BrokerStatus broker = new BrokerStatus(config.broker().safeUri());
        WorkerHealth health = new WorkerHealth(clock, broker::isReady, broker::reason, config.degradedAfterFailures());
        PrometheusMetrics prometheus = new PrometheusMetrics();
        try {
            HealthServer healthServer = HealthServer.start(config.healthHost(), config.healthPort(), health,
                    prometheus, json);
            return new Local(sampler, cgroups, prometheus, health, healthServer, broker, tracing);
        } catch (RuntimeException e) {
            prometheus.close();
            sampler.close();
            throw e;
        }
    }

    /** Connects, declares the topology and starts consuming, retrying as {@link #start} says. */
    private static Wired wire(WorkerConfig config, Clock clock, BooleanSupplier keepTrying, Local local,
                              HealthCheck healthCheck, ObjectMapper json) throws IOException, InterruptedException {
        Topology topology = new Topology(config.broker());
        Declaration.Queue ownQueueDeclaration = topology.workerQueueDeclaration(config.workerId(),
                config.ownQueueExpires(), config.ownQueueType());
        return BrokerConnection.openAndSetUp(config.broker(), "vitals-worker " + config.workerId(), keepTrying,
                new MicrometerMetricsCollector(local.prometheus().registry(), "vitals.worker.rabbitmq"),
                local.broker(), connection -> {
                    connection.declare(topology.declarations());
                    ConfirmingPublisher publisher = new ConfirmingPublisher(connection.createChannel(),
                            config.broker().publishTimeout(), local.tracing());
                    try {
                        EventPublisher events = new EventPublisher(publisher, json, config.workerId());
                        Function<Channel, TaskConsumer> consumers = channel -> new TaskConsumer(channel,
                                new TaskParser(json), healthCheck, events, local.health(), clock, config.workerId(),
                                config.hostname(), local.tracing());
                        TaskConsumer shared = consumers.apply(connection.createChannel());
                        shared.start(Topology.TASK_QUEUE, "vitals-worker-" + config.workerId(), config.prefetch());
                        OwnQueue ownQueue = new OwnQueue(connection, ownQueueDeclaration, consumers,
                                "vitals-worker-own-" + config.workerId(), config.prefetch());
                        ownQueue.start();
                        return new Wired(connection, publisher, events, shared, ownQueue);
                    } catch (IOException | RuntimeException e) {
                        publisher.close();
                        throw e;
                    }
                });
    }

    private static void awaitFirstCpuWindow(CpuSampler sampler) throws InterruptedException {
        try {
            sampler.awaitWindow(FIRST_CPU_WINDOW_WAIT);
        } catch (MetricUnavailableException e) {
            log.warn("Taking tasks before the first CPU window ({}); cpu is unknown until it closes", e.getMessage());
        }
    }

    public String workerId() {
        return config.workerId();
    }

    public int healthPort() {
        return local.healthServer().port();
    }

    public WorkerHealth health() {
        return local.health();
    }

    private void heartbeat() {
        wired.ownQueue().keepConsuming();
        try {
            wired.events().heartbeat(heartbeatNow(local.health().state()));
        } catch (RuntimeException e) {
            log.debug("Could not publish a heartbeat: {}", e.getMessage());
        }
    }

    private WorkerHeartbeat heartbeatNow(WorkerState state) {
        return new WorkerHeartbeat(config.workerId(), config.hostname(), WorkerMain.version(), startedAt,
                clock.instant(), state, local.health().lastStatus(), config.heartbeatInterval().toMillis() / 1000.0);
    }

    /**
     * Stops cleanly: takes no new task, waits up to the shutdown timeout for the tasks in hand to be
     * reported and acknowledged (whatever is left is redelivered by the broker), says goodbye with a last
     * {@code stopped} heartbeat, and closes everything.
     */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        local.health().stopping();
        heartbeats.shutdownNow();
        try {
            long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
            boolean ownFinished = wired.ownQueue().stop(config.shutdownTimeout());
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (!wired.consumer().stop(left) || !ownFinished) {
                log.warn("Tasks still in hand after {}; the broker will redeliver them", config.shutdownTimeout());
            }
            @Nullable Throwable goodbye = wired.events().heartbeat(heartbeatNow(WorkerState.STOPPED))
                    .orTimeout(2, TimeUnit.SECONDS)
                    .handle((ok, failure) -> failure).join();
            if (goodbye != null) {
                log.debug("Could not publish the last heartbeat: {}", goodbye.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            wired.close();
            local.close();
            log.info("Worker {} stopped", config.workerId());
        }
    }
}
