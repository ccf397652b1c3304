package dev.vitals.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import dev.vitals.api.alert.AlertStore;
import dev.vitals.api.alert.Alerting;
import dev.vitals.api.alert.Alerts;
import dev.vitals.api.alert.NotificationSender;
import dev.vitals.api.alert.channel.Channel;
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
import dev.vitals.api.store.Database;
import dev.vitals.api.store.EndedTaskCache;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.store.TaskStore;
import dev.vitals.api.task.ExpirySweeper;
import dev.vitals.api.task.HeldStarts;
import dev.vitals.api.task.TaskService;
import dev.vitals.api.task.TaskUpdates;
import dev.vitals.api.task.TaskWaiters;
import dev.vitals.api.store.JdbcWorkerStore;
import dev.vitals.api.worker.WorkerRegistry;
import dev.vitals.model.json.VitalsJson;
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
 * its publisher and consumers, the waiters, the expiry sweeper and the schedule runner. {@link ApiMain} runs one per process;
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

    private final Database database;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService blocking;
    private final TaskWaiters waiters;
    private final BrokerLink broker;
    private final ExpirySweeper sweeper;
    private final Alerts alerts;
    private final ScheduleService schedules;
    private final ScheduleRunner scheduleRunner;
    private final List<Schedule> declaredSchedules;
    /** Two heartbeats: by then a replica that just started knows the live workers. */
    private final Duration firstDeclaredRunAfter;
    private final HttpApi http;
    private final PrometheusMetrics prometheus = new PrometheusMetrics();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Api(ApiConfig config, Database database, Clock clock) {
        this.database = database;
        ObjectMapper mapper = VitalsJson.newMapper();
        TaskStore store = new EndedTaskCache(new JdbcTaskStore(database.dataSource()), ENDED_TASKS_IN_MEMORY);
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2,
                Thread.ofPlatform().name("vitals-api-timer-", 0).daemon().factory());
        // Most timers are cancelled (a wait's end, a start's hold): out of the queue at once, not at their time.
        timer.setRemoveOnCancelPolicy(true);
        scheduler = timer;
        blocking = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("vitals-api-io-", 0).factory());
        waiters = new TaskWaiters(store, scheduler, blocking, clock, config.tasks().sweepInterval());
        WorkerRegistry workers = new WorkerRegistry(new JdbcWorkerStore(database.dataSource()), clock, config.workers());
        TaskPublisher publisher = new TaskPublisher(mapper, config.broker().publishTimeout());
        QueueMonitor queue = new QueueMonitor(scheduler, QUEUE_LOOK_INTERVAL);
        ApiMetrics metrics = new ApiMetrics(prometheus.registry(), queue, workers);
        database.recordMetrics(new MicrometerMetricsTrackerFactory(prometheus.registry()));
        TaskUpdates updates = new TaskUpdates(store, waiters, mapper, clock, metrics);
        broker = new BrokerLink(config.broker(), "vitals-api@" + hostname(), List.of(
                publisher,
                queue,
                new ReplicaListener(waiters, mapper),
                new EventConsumer(config.eventsQueue(), config.eventsQueueType(), updates,
                        new HeldStarts(updates, scheduler, blocking), workers, mapper, scheduler, blocking),
                new DeadLetterConsumer(config.deadLettersQueue(), updates, mapper, scheduler,
                        config.broker().taskDeliveryLimit())),
                new MicrometerMetricsCollector(prometheus.registry(), "vitals.api.rabbitmq"));
        TaskService tasks = new TaskService(store, publisher, waiters, workers, clock, config.tasks().defaultTimeout(),
                blocking, metrics);
        sweeper = new ExpirySweeper(store, waiters, updates, workers, metrics, clock, config.tasks().sweepInterval(),
                config.tasks().retention(), scheduler);
        AlertStore alertStore = new AlertStore(database.dataSource(), mapper);
        List<Channel> channels = config.alerts().channels().stream()
                .map(channel -> channel.create(mapper, config.alerts().sendTimeout())).toList();
        AlertMetrics alertMetrics = new AlertMetrics(prometheus.registry());
        Alerting alerting = new Alerting(alertStore, config.alerts(), channels.stream().map(Channel::name).toList(),
                workers, livenessGrace(config.workers()), broker::isConnected, clock);
        alertMetrics.watch(alerting);
        alerts = new Alerts(alerting,
                new NotificationSender(alertStore, channels, config.alerts(), blocking, clock, alertMetrics),
                alertStore, config.alerts(), clock, scheduler, blocking);
        ScheduleStore scheduleStore = new JdbcScheduleStore(database.dataSource(), mapper);
        schedules = new ScheduleService(scheduleStore, clock, config.schedules().minInterval());
        declaredSchedules = config.schedules().declared();
        firstDeclaredRunAfter = config.workers().heartbeatInterval().multipliedBy(2);
        scheduleRunner = new ScheduleRunner(scheduleStore, tasks, mapper, metrics, clock, scheduler, blocking,
                config.schedules().pollInterval());
        http = new HttpApi(
                new HttpApi.Settings(config.host(), config.port(), config.tokens(), config.maxBodyBytes(),
                        config.tasks().maxWait()),
                new HttpApi.Services(tasks, schedules, workers,
                        new Readiness(broker::isConnected, broker.status()::reason, store, queue, config.readiness()),
                        started::get, prometheus, alertStore, clock),
                metrics, mapper);
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

    /** Starts a replica with validated settings and the given clock. */
    public static Api start(ApiConfig config, Clock clock) {
        log.info("Starting the Vitals API: {}", config);
        Database database = Database.open(config.store().url(), config.store().poolSize(),
                config.store().connectionTimeout());
        Api api;
        try {
            api = new Api(config, database, clock);
        } catch (RuntimeException e) {
            database.close();
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
        api.alerts.start();
        api.scheduleRunner.start();
        api.started.set(true);
        log.info("Vitals API listening on {}:{}", config.host(), api.port());
        return api;
    }

    /** The HTTP port. */
    public int port() {
        return http.port();
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
        waiters.close();
        http.stop();
        broker.close();
        sweeper.close();
        alerts.close();
        scheduler.shutdown();
        blocking.shutdown();
        try {
            blocking.awaitTermination(5, TimeUnit.SECONDS);
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        database.close();
        prometheus.close();
        log.info("Vitals API stopped");
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
