package dev.vitals.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import dev.vitals.api.alert.AlertStore;
import dev.vitals.api.alert.Alerting;
import dev.vitals.api.alert.Alerts;
import dev.vitals.api.alert.NotificationSender;
import dev.vitals.api.alert.channel.Channel;
import dev.vitals.api.canary.Canary;
import dev.vitals.api.idempotency.IdempotentSubmissions;
import dev.vitals.api.idempotency.JdbcIdempotencyStore;
import dev.vitals.api.http.HttpApi;
import dev.vitals.api.metrics.AlertMetrics;
import com.rabbitmq.client.impl.MicrometerMetricsCollector;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.vitals.api.messaging.QueueMonitor;
import dev.vitals.api.metrics.ApiMetrics;
import dev.vitals.metrics.PrometheusMetrics;
import dev.vitals.api.messaging.BrokerLink;
import dev.vitals.api.messaging.DeadLetterConsumer;
import dev.vitals.api.messaging.EventConsumer;
import dev.vitals.api.messaging.ReplicaListener;
import dev.vitals.api.messaging.TaskPublisher;
import dev.vitals.api.probe.Readiness;
import dev.vitals.api.schedule.JdbcScheduleStore;
import dev.vitals.api.schedule.Schedule;
import dev.vitals.api.schedule.ScheduleRunner;
import dev.vitals.api.schedule.ScheduleService;
import dev.vitals.api.schedule.ScheduleStore;
import dev.vitals.api.history.FleetHistory;
import dev.vitals.api.history.HistoryRecorder;
import dev.vitals.api.history.JdbcHistoryStore;
import dev.vitals.api.history.RunsOfTask;
import dev.vitals.api.history.WorkerHistory;
import dev.vitals.api.state.JdbcStateStore;
import dev.vitals.api.store.Database;
import dev.vitals.api.stream.EventFeed;
import dev.vitals.api.stream.JdbcStreamSources;
import dev.vitals.api.store.EndedTaskCache;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.store.TaskStore;
import dev.vitals.api.store.TracedTaskStore;
import dev.vitals.api.task.ExpirySweeper;
import dev.vitals.api.task.HeldStarts;
import dev.vitals.api.task.TaskService;
import dev.vitals.api.task.TaskUpdates;
import dev.vitals.api.task.TaskWaiters;
import dev.vitals.api.store.JdbcWorkerStore;
import dev.vitals.api.worker.WorkerRegistry;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.tracing.Tracing;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running API replica, wired from its configuration: the store, the HTTP server, the broker link with
 * its publisher and consumers, the waiters, the expiry sweeper the schedule runner and the history recorder. {@link ApiMain} runs one per process;
 * tests start and stop them in-process ({@code vitals.api.port = 0} picks a free port).
 *
 * <p>The store must be reachable at start; the broker need not be: the replica connects in the background,
 * serving reads and probes meanwhile, and refusing new tasks with 503 until connected.
 */
public final class Api implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Api.class);

    /** How often the backlog and consumers of maintenance_tasks are looked at, for readiness and metrics. */
    private static final Duration QUEUE_LOOK_INTERVAL = Duration.ofSeconds(2);
    /** Ended tasks each replica keeps in memory for reads by id: reports of a few KB, some tens of MB at most. */
    private static final int ENDED_TASKS_IN_MEMORY = 10_000;
    /** How often {@code vitals_api_worker_state} is read again from the store (at once after a transition here). */
    private static final Duration WORKER_STATES_REFRESH = Duration.ofSeconds(15);
    /**
     * How far behind the newest ended task or alert change seen the event stream reads again: what a commit may lag
     * behind the time it stores, and one replica's clock another's.
     */
    private static final Duration STREAM_OVERLAP = Duration.ofSeconds(5);
    /** How often an idle event stream says it is still there (proxies close connections that say nothing). */
    private static final Duration STREAM_HEARTBEAT = Duration.ofSeconds(15);

    private final Database database;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService blocking;
    private final TaskWaiters waiters;
    private final BrokerLink broker;
    private final ExpirySweeper sweeper;
    private final Canary canary;
    private final IdempotentSubmissions idempotency;
    private final Alerts alerts;
    private final ScheduleService schedules;
    private final ScheduleRunner scheduleRunner;
    private final List<Schedule> declaredSchedules;
    /** Two heartbeats: by then a replica that just started knows the live workers. */
    private final Duration firstDeclaredRunAfter;
    private final HistoryRecorder recorder;
    /** The recorder's thread: its passes wait on the store (and on other replicas' passes), not on the timers. */
    private final ScheduledExecutorService historyThread;
    private final EventFeed events;
    private final HttpApi http;
    private final PrometheusMetrics prometheus = new PrometheusMetrics();
    private final Tracing tracing;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Api(ApiConfig config, Database database, Clock clock, Tracing tracing) {
        this.database = database;
        this.tracing = tracing;
        ObjectMapper mapper = VitalsJson.newMapper();
        TaskStore jdbc = new JdbcTaskStore(database.dataSource());
        TaskStore store = new EndedTaskCache(tracing.isOn() ? new TracedTaskStore(jdbc, tracing, config.store().url())
                : jdbc, ENDED_TASKS_IN_MEMORY);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2,
                Thread.ofPlatform().name("vitals-api-timer-", 0).daemon().factory());
        // Most timers are cancelled (a wait's end, a start's hold): out of the queue at once, not at their time.
        timer.setRemoveOnCancelPolicy(true);
        scheduler = timer;
        blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vitals-api-io-", 0).factory());
        waiters = new TaskWaiters(store, scheduler, blocking, clock, config.tasks().sweepInterval(), tracing);
        WorkerRegistry workers = new WorkerRegistry(new JdbcWorkerStore(database.dataSource()), clock, config.workers());
        TaskPublisher publisher = new TaskPublisher(mapper, config.broker().publishTimeout(), tracing);
        QueueMonitor queue = new QueueMonitor(scheduler, QUEUE_LOOK_INTERVAL);
        ApiMetrics metrics = new ApiMetrics(prometheus.registry(), queue, workers);
        database.recordMetrics(new MicrometerMetricsTrackerFactory(prometheus.registry()));
        TaskUpdates updates = new TaskUpdates(store, waiters, mapper, clock, metrics);
        broker = new BrokerLink(config.broker(), "vitals-api@" + hostname(), List.of(
                publisher,
                queue,
                new ReplicaListener(waiters, mapper),
                new EventConsumer(config.eventsQueue(), config.eventsQueueType(), updates,
                        new HeldStarts(updates, scheduler, blocking), workers, mapper, scheduler, blocking, tracing),
                new DeadLetterConsumer(config.deadLettersQueue(), updates, mapper, scheduler,
                        config.broker().taskDeliveryLimit())),
                new MicrometerMetricsCollector(prometheus.registry(), "vitals.api.rabbitmq"));
        TaskService tasks = new TaskService(store, publisher, waiters, workers, clock, config.tasks().defaultTimeout(),
                blocking, metrics);
        canary = new Canary(tasks, config.canary(), metrics, clock, scheduler);
        idempotency = new IdempotentSubmissions(new JdbcIdempotencyStore(database.dataSource()), store, clock,
                config.idempotency().ttl(), pendingLease(config.broker().publishTimeout()));
        sweeper = new ExpirySweeper(store, waiters, updates, workers, metrics, clock, config.tasks().sweepInterval(),
                config.tasks().retention(), scheduler);
        JdbcHistoryStore history = new JdbcHistoryStore(database.dataSource());
        AlertStore alertStore = new AlertStore(database.dataSource(), mapper);
        List<Channel> channels = config.alerts().channels().stream()
                .map(channel -> channel.create(mapper, config.alerts().sendTimeout())).toList();
        AlertMetrics alertMetrics = new AlertMetrics(prometheus.registry());
        Alerting alerting = new Alerting(alertStore, config.alerts(), channels.stream().map(Channel::name).toList(),
                workers, livenessGrace(config.workers()), broker::isConnected, history::recentStatuses, clock);
        alertMetrics.watch(alerting);
        alerts = new Alerts(alerting,
                new NotificationSender(alertStore, channels, config.alerts(), blocking, clock, alertMetrics),
                alertStore, config.alerts(), clock, scheduler, blocking);
        ScheduleStore scheduleStore = new JdbcScheduleStore(database.dataSource(), mapper);
        schedules = new ScheduleService(scheduleStore, clock, config.schedules().minInterval());
        declaredSchedules = config.schedules().declared();
        firstDeclaredRunAfter = config.workers().heartbeatInterval().multipliedBy(2);
        scheduleRunner = new ScheduleRunner(scheduleStore, tasks, mapper, metrics, clock, scheduler, blocking,
                config.schedules().pollInterval(), tracing);
        historyThread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vitals-api-history").daemon().factory());
        JdbcStateStore states = new JdbcStateStore(database.dataSource(), mapper);
        Runnable refreshStates = () -> metrics.workerStates(states.statuses());
        recorder = new HistoryRecorder(history, states, new RunsOfTask(mapper), config.history(), config.state(), clock,
                historyThread, transitions -> refreshStates.run(), alerting::recorded);
        historyThread.scheduleWithFixedDelay(() -> {
            try {
                refreshStates.run();
            } catch (RuntimeException e) {
                log.debug("Cannot read the workers' states for the metrics: {}", e.getMessage());
            }
        }, 0, WORKER_STATES_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
        events = new EventFeed(new JdbcStreamSources(database.dataSource(), states, alertStore), clock, scheduler,
                blocking, config.stream().pollInterval(), STREAM_OVERLAP, STREAM_HEARTBEAT);
        http = new HttpApi(
                new HttpApi.Settings(config.host(), config.port(), config.tokens(), config.maxBodyBytes(),
                        config.tasks().maxWait()),
                new HttpApi.Services(tasks, idempotency, schedules, workers, states, new WorkerHistory(history, config.history(), clock),
                        new Readiness(broker::isConnected, broker.status()::reason, store, queue, config.readiness(),
                                canary),
                        started::get, prometheus, alertStore, new FleetHistory(database.dataSource(), clock), events,
                        clock),
                metrics, mapper, tracing);
    }

    /**
     * Starts a replica with a resolved configuration (this module's and the broker's reference.conf as
     * fallback).
     *
     * @throws com.typesafe.config.ConfigException         when a setting is not allowed
     * @throws dev.vitals.api.store.StoreUnavailableException when the store cannot be reached or migrated
     */
    public static Api start(Config config) {
        return start(ApiConfig.from(config), Clock.systemUTC());
    }

    /**
     * Starts a replica with validated settings and the given clock, traced as the {@code OTEL_*} environment
     * variables and {@code otel.*} system properties say (off unless they name a traces exporter).
     */
    public static Api start(ApiConfig config, Clock clock) {
        return start(config, clock, Tracing.fromEnvironment("vitals-api"));
    }

    /** Starts a replica with validated settings, the given clock and the given tracing, closed with the replica. */
    public static Api start(ApiConfig config, Clock clock, Tracing tracing) {
        log.info("Starting the Vitals API: {}", config);
        Database database = Database.open(config.store().url(), config.store().poolSize(),
                config.store().connectionTimeout());
        Api api;
        try {
            api = new Api(config, database, clock, tracing);
        } catch (RuntimeException e) {
            database.close();
            tracing.close();
            throw e;
        }
        try {
            api.schedules.declare(api.declaredSchedules, api.firstDeclaredRunAfter);
            api.http.start();
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        api.broker.connectInBackground();
        api.sweeper.start();
        api.canary.start();
        api.idempotency.start(api.scheduler, api.blocking);
        api.alerts.start();
        api.scheduleRunner.start();
        api.recorder.start();
        api.started.set(true);
        log.info("Vitals API listening on {}:{}", config.host(), api.port());
        return api;
    }

    /** The HTTP port. */
    public int port() {
        return http.port();
    }

    /** This replica's tracing: schedule runs start their traces with {@link Tracing#scheduledRun}. */
    public Tracing tracing() {
        return tracing;
    }

    /** Connected to the broker with the topology declared and the consumers running. */
    public boolean isBrokerConnected() {
        return broker.isConnected();
    }

    /**
     * Stops in order: stops claiming scheduled runs, ends the waits in progress, stops accepting HTTP, stops
     * consuming and closes the broker connection (unacknowledged events go back to the queue for another
     * replica), stops the sweeper, closes the store.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("Stopping the Vitals API");
        scheduleRunner.close();
        canary.close();
        idempotency.close();
        waiters.close();
        events.close();
        http.stop();
        broker.close();
        sweeper.close();
        recorder.close();
        historyThread.shutdown();
        alerts.close();
        scheduler.shutdown();
        blocking.shutdown();
        try {
            blocking.awaitTermination(5, TimeUnit.SECONDS);
            historyThread.awaitTermination(5, TimeUnit.SECONDS);
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        database.close();
        prometheus.close();
        tracing.close();
        log.info("Vitals API stopped");
    }

    /**
     * How long an {@code Idempotency-Key} may stay pending before it counts as left by a replica that died: its first
     * request stores the task and waits for the broker's confirm, at most the publish timeout, with room to spare.
     */
    private static Duration pendingLease(Duration publishTimeout) {
        Duration twice = publishTimeout.multipliedBy(2);
        Duration least = Duration.ofSeconds(30);
        return twice.compareTo(least) > 0 ? twice : least;
    }

    /**
     * How long a replica consumes the workers' heartbeats before it judges a worker gone: a worker stops
     * counting as alive only after several missed heartbeats, and one that sends them rarely needs longer.
     */
    private static Duration livenessGrace(ApiConfig.Workers workers) {
        Duration missed = workers.heartbeatInterval().multipliedBy(workers.missedHeartbeats());
        return missed.compareTo(Duration.ofMinutes(1)) > 0 ? missed : Duration.ofMinutes(1);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
