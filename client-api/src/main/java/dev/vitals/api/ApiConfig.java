package dev.vitals.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.vitals.api.alert.AlertSettings;
import dev.vitals.api.schedule.Schedule;
import dev.vitals.api.schedule.ScheduleRequest;
import dev.vitals.api.store.Database;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.vitals.model.ValidationException;
import dev.vitals.model.json.VitalsJson;
import java.nio.charset.StandardCharsets;
import dev.vitals.broker.BrokerSettings;
import dev.vitals.model.task.TaskRequest;
import dev.vitals.model.task.TaskWait;
import dev.vitals.settings.Settings;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The settings of {@code vitals.api} (see this module's {@code reference.conf}) and of
 * {@code vitals.broker}, read and validated once at start-up.
 *
 * @param host              the address the HTTP server listens on
 * @param port              the HTTP port; 0 picks a free one
 * @param tokens            bearer tokens; empty when the API is open
 * @param eventsQueue       the shared queue of worker events
 * @param eventsQueueType   its RabbitMQ queue type, {@code classic} or {@code quorum}
 * @param deadLettersQueue  the shared queue of dead-lettered tasks
 * @param store             the task store
 * @param tasks             the task lifecycle
 * @param workers           the worker registry
 * @param readiness         what else than broker and store readiness depends on
 * @param maxBodyBytes      the largest request body accepted, in bytes
 * @param schedules         the schedules' settings, and those the configuration declares
 * @param history           the history of runs and its roll-up
 * @param state             how runs move a worker's state
 * @param alerts            alerts and where their notifications go
 * @param stream            the event stream of {@code GET /api/v1/stream}
 * @param canary            the canary that proves tasks flow through maintenance_tasks
 * @param idempotency       how long an {@code Idempotency-Key} stands for its task
 * @param broker            the broker
 */
public record ApiConfig(
        String host,
        int port,
        List<String> tokens,
        String eventsQueue,
        String eventsQueueType,
        String deadLettersQueue,
        Store store,
        Tasks tasks,
        Workers workers,
        Readiness readiness,
        long maxBodyBytes,
        Schedules schedules,
        History history,
        State state,
        AlertSettings alerts,
        Stream stream,
        Canary canary,
        Idempotency idempotency,
        BrokerSettings broker) {

    private static final String PATH = "vitals.api";
    /** A token: printable ASCII without spaces or commas, as an Authorization header can carry it. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x2b\\x2d-\\x7e]+");
    /** RabbitMQ's limit on a queue name, in bytes of UTF-8. */
    private static final int MAX_QUEUE_NAME_BYTES = 255;

    public ApiConfig {
        tokens = List.copyOf(tokens);
    }

    /**
     * The task store's settings.
     *
     * @param url               JDBC URL, {@code jdbc:postgresql:} or {@code jdbc:h2:}
     * @param poolSize          pooled connections
     * @param connectionTimeout longest wait for a connection
     */
    public record Store(String url, int poolSize, Duration connectionTimeout) {

        @Override
        public String toString() {
            return "Store[url=" + Database.redact(url) + ", poolSize=" + poolSize
                    + ", connectionTimeout=" + connectionTimeout + "]";
        }
    }

    /**
     * The task lifecycle's settings.
     *
     * @param defaultTimeout how long a task may wait for a worker when the request does not say
     * @param retention      how long finished tasks are kept
     * @param sweepInterval  how often overdue tasks are expired
     * @param maxWait        the longest {@code ?wait} a caller may ask for
     */
    public record Tasks(Duration defaultTimeout, Duration retention, Duration sweepInterval, Duration maxWait) {
    }

    /**
     * The worker registry's settings.
     *
     * @param missedHeartbeats  heartbeat intervals (each worker's own) without a heartbeat before a worker
     *                          no longer counts as alive
     * @param heartbeatInterval assumed for a worker whose heartbeats do not say their interval
     * @param listedFor         how long a silent worker is still listed by {@code GET /api/v1/workers}
     */
    public record Workers(int missedHeartbeats, Duration heartbeatInterval, Duration listedFor) {
    }

    /**
     * What else than the broker and the store {@code /health/ready} depends on.
     *
     * @param requireConsumers not ready while no worker consumes {@code maintenance_tasks}
     * @param maxBacklog       not ready while more tasks than this wait; 0 for no limit
     */
    public record Readiness(boolean requireConsumers, long maxBacklog) {
    }

    /**
     * The schedules' settings.
     *
     * @param minInterval  the shortest interval a schedule may have ({@code vitals.api.schedule.min-interval})
     * @param pollInterval the longest a replica sleeps between two looks for due runs
     * @param declared     the schedules {@code vitals.api.schedules} declares, valid and of distinct names
     */
    public record Schedules(Duration minInterval, Duration pollInterval, List<Schedule> declared) {
        public Schedules {
            declared = List.copyOf(declared);
        }
    }

    /**
     * The history's settings.
     *
     * @param rawRetention    how long each run is kept as it was reported
     * @param bucketRetention how long hourly buckets are kept
     * @param recordInterval  how often ended tasks are looked for and recorded as runs
     * @param settle          how long ago a task must have ended to be recorded
     * @param overlap         how far back ended tasks are looked at again, for the ones committed late
     * @param batch           the most tasks recorded in one transaction
     * @param maxPoints       the most raw points one history query answers
     */
    public record History(Duration rawRetention, Duration bucketRetention, Duration recordInterval, Duration settle,
                          Duration overlap, int batch, int maxPoints) {
    }

    /**
     * How scheduled runs move a worker's state (and each check's).
     *
     * @param degradedAfter  consecutive failures that make a healthy worker degraded
     * @param unhealthyAfter consecutive failures that make it unhealthy
     * @param recoverAfter   consecutive successes that make a degraded or unhealthy worker healthy again
     * @param flappingStart  share of outcome changes over the last {@link #FLAPPING_WINDOW} runs above which it
     *                       is flapping
     * @param flappingEnd    share below which it stops flapping
     */
    public record State(int degradedAfter, int unhealthyAfter, int recoverAfter, double flappingStart,
                        double flappingEnd) {

        /** The runs over which flapping is judged. */
        public static final int FLAPPING_WINDOW = 20;

        /** The defaults of reference.conf. */
        public static final State DEFAULTS = new State(1, 3, 2, 0.30, 0.25);
    }

    /**
     * Reads {@code vitals.api} and {@code vitals.broker} from {@code config} (resolved, with this module's
     * and the broker's reference.conf as fallback).
     *
     * @throws ConfigException naming the key, the value and what is allowed
     */
    /**
     * The event stream.
     *
     * @param pollInterval how often a replica reads the store for new events while someone reads its stream
     */
    public record Stream(Duration pollInterval) {
    }

    /**
     * The canary each replica sends through {@code maintenance_tasks} to prove that tasks flow.
     *
     * @param interval         how often; zero: no canary
     * @param timeout          how long a canary may take to come back before the pipeline counts as down; also the
     *                         canary task's own timeout (rounded up to whole seconds)
     * @param requiredForReady whether {@code /health/ready} is down while the pipeline is
     */
    public record Canary(Duration interval, Duration timeout, boolean requiredForReady) {

        /** Whether canaries are sent at all. */
        public boolean enabled() {
            return !interval.isZero();
        }
    }

    /**
     * {@code Idempotency-Key} on {@code POST /api/v1/health-checks}.
     *
     * @param ttl how long a key stands for the task its first request made; expired keys are deleted
     */
    public record Idempotency(Duration ttl) {
    }

    public static ApiConfig from(Config config) {
        Settings c = Settings.at(config, PATH);
        return new ApiConfig(
                c.nonBlank("host"),
                c.intBetween("port", 0, 65_535),
                tokens(c),
                queueName(c, "events-queue"),
                queueType(c, "events-queue-type"),
                queueName(c, "dead-letters-queue"),
                new Store(
                        storeUrl(c),
                        c.intBetween("store.pool-size", 1, Database.MAX_POOL_SIZE),
                        c.durationAtLeast("store.connection-timeout", Database.MIN_CONNECTION_TIMEOUT)),
                new Tasks(
                        c.wholeSecondsBetween("tasks.default-timeout", 1, TaskRequest.MAX_TIMEOUT_SECONDS),
                        c.durationAtLeast("tasks.retention", Duration.ofMinutes(1)),
                        c.durationBetween("tasks.sweep-interval", Duration.ofMillis(100), Duration.ofMinutes(1)),
                        c.wholeSecondsBetween("tasks.max-wait", 1, TaskWait.MAX_SECONDS)),
                new Workers(
                        c.intBetween("workers.missed-heartbeats", 1, 100),
                        c.durationBetween("workers.heartbeat-interval", Duration.ofSeconds(1), Duration.ofMinutes(5)),
                        c.durationAtLeast("workers.listed-for", Duration.ofMinutes(1))),
                new Readiness(c.config().getBoolean("readiness.require-consumers"),
                        c.intBetween("readiness.max-backlog", 0, Integer.MAX_VALUE)),
                c.bytesBetween("http.max-body", 1024, 16L * 1024 * 1024),
                schedules(c),
                history(c),
                state(c),
                AlertSettings.from(config),
                new Stream(c.durationBetween("stream.poll-interval", Duration.ofMillis(100), Duration.ofMinutes(1))),
                canary(c),
                new Idempotency(c.durationBetween("idempotency.ttl", Duration.ofMinutes(1), Duration.ofDays(30))),
                BrokerSettings.from(config));
    }

    /** Never shows the tokens or the store's password. */
    @Override
    public String toString() {
        return "ApiConfig[host=" + host + ", port=" + port + ", tokens=" + tokens.size() + " configured"
                + ", eventsQueue=" + eventsQueue + " (" + eventsQueueType + "), deadLettersQueue=" + deadLettersQueue + ", store=" + store
                + ", tasks=" + tasks + ", workers=" + workers + ", readiness=" + readiness
                + ", maxBodyBytes=" + maxBodyBytes + ", schedules=" + schedules.declared().stream()
                .map(Schedule::name).toList() + " declared, history=" + history + ", state=" + state + ", alerts=" + alerts + ", canary=" + canary + ", idempotency=" + idempotency + ", broker="
                + broker.safeUri() + "]";
    }

    private static Canary canary(Settings c) {
        Duration interval = c.durationBetween("canary.interval", Duration.ZERO, Duration.ofHours(1));
        if (!interval.isZero() && interval.compareTo(Duration.ofMillis(100)) < 0) {
            throw c.bad("canary.interval", "must be 0 (no canary) or from 100ms to 1h, got " + interval);
        }
        return new Canary(interval, c.durationBetween("canary.timeout", Duration.ofMillis(100), Duration.ofMinutes(5)),
                c.config().getBoolean("canary.required-for-ready"));
    }

    private static History history(Settings c) {
        Duration raw = c.durationBetween("history.raw-retention", Duration.ofHours(1), Duration.ofDays(400));
        Duration buckets = c.durationBetween("history.bucket-retention", Duration.ofDays(1), Duration.ofDays(3660));
        if (buckets.compareTo(raw) < 0) {
            throw c.bad("history.bucket-retention", "must be at least history.raw-retention (" + raw + "), got "
                    + buckets);
        }
        return new History(raw, buckets,
                c.durationBetween("history.record-interval", Duration.ofMillis(100), Duration.ofMinutes(1)),
                c.durationBetween("history.settle", Duration.ZERO, Duration.ofMinutes(1)),
                c.durationBetween("history.overlap", Duration.ofSeconds(1), Duration.ofHours(1)),
                c.intBetween("history.batch", 1, 100_000),
                c.intBetween("history.max-points", 1, 1_000_000));
    }

    private static State state(Settings c) {
        int degraded = c.intBetween("state.degraded-after", 1, 1000);
        int unhealthy = c.intBetween("state.unhealthy-after", 1, 1000);
        if (unhealthy < degraded) {
            throw c.bad("state.unhealthy-after", "must be at least state.degraded-after (" + degraded + "), got "
                    + unhealthy);
        }
        double start = share(c, "state.flapping-start");
        double end = share(c, "state.flapping-end");
        if (end > start) {
            throw c.bad("state.flapping-end", "must be at most state.flapping-start (" + start + "), got " + end);
        }
        return new State(degraded, unhealthy, c.intBetween("state.recover-after", 1, 1000), start, end);
    }

    private static double share(Settings c, String key) {
        double value;
        try {
            value = c.config().getDouble(key);
        } catch (ConfigException.WrongType e) {
            throw c.bad(key, "must be a number between 0 and 1");
        }
        if (!(value >= 0 && value <= 1)) {
            throw c.bad(key, "must be between 0 and 1, got " + value);
        }
        return value;
    }

    private static List<String> tokens(Settings c) {
        List<String> tokens = Arrays.stream(c.config().getString("tokens").split(","))
                .map(String::trim)
                .filter(token -> !token.isEmpty())
                .toList();
        for (int i = 0; i < tokens.size(); i++) {
            if (!TOKEN.matcher(tokens.get(i)).matches()) {
                throw c.bad("tokens", "token " + (i + 1) + " of " + tokens.size()
                        + " may hold only printable ASCII characters other than space and comma");
            }
        }
        return tokens;
    }

    private static String queueName(Settings c, String key) {
        String value = c.nonBlank(key);
        if (value.startsWith("amq.")) {
            throw c.bad(key, "must not start with 'amq.' (reserved by RabbitMQ), got '" + value + "'");
        }
        if (value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_QUEUE_NAME_BYTES) {
            throw c.bad(key, "must be at most " + MAX_QUEUE_NAME_BYTES + " bytes long");
        }
        return value;
    }

    private static String queueType(Settings c, String key) {
        String value = c.nonBlank(key);
        if (!value.equals("classic") && !value.equals("quorum")) {
            throw c.bad(key, "must be classic or quorum, got '" + value + "'");
        }
        return value;
    }

    private static Schedules schedules(Settings c) {
        Duration minInterval = c.wholeSecondsBetween("schedule.min-interval", 1, (int) Schedule.MAX_INTERVAL.toSeconds());
        return new Schedules(minInterval,
                c.durationBetween("schedule.poll-interval", Duration.ofMillis(100), Duration.ofMinutes(1)),
                declaredSchedules(c, minInterval));
    }

    /**
     * {@code vitals.api.schedules}: a list of objects shaped as the body of {@code POST /api/v1/schedules}, or,
     * as an environment variable ({@code VITALS_API_SCHEDULES}) sets it, a string holding such a list in HOCON
     * or JSON.
     */
    private static List<Schedule> declaredSchedules(Settings c, Duration minInterval) {
        String key = "schedules";
        ConfigValue value = c.config().getValue(key);
        List<? extends ConfigValue> entries;
        if (value.valueType() == ConfigValueType.LIST) {
            entries = c.config().getList(key);
        } else if (value.valueType() == ConfigValueType.STRING) {
            try {
                entries = ConfigFactory.parseString("schedules = " + value.unwrapped()).getList(key);
            } catch (ConfigException e) {
                throw c.bad(key, "must be a list of schedules such as [{name: fleet, target: all, interval_seconds:"
                        + " 30}] (HOCON or JSON): " + e.getMessage());
            }
        } else {
            throw c.bad(key, "must be a list of schedules such as [{name: fleet, target: all, interval_seconds: 30}],"
                    + " got " + value.valueType().name().toLowerCase(java.util.Locale.ROOT));
        }
        ObjectMapper mapper = VitalsJson.newMapper();
        List<Schedule> schedules = new java.util.ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = "schedule " + (i + 1) + " of " + entries.size();
            ConfigValue item = entries.get(i);
            if (item.valueType() != ConfigValueType.OBJECT) {
                throw c.bad(key, entry + " must be an object shaped as the body of POST /api/v1/schedules");
            }
            Schedule schedule;
            try {
                byte[] json = item.render(ConfigRenderOptions.concise()).getBytes(StandardCharsets.UTF_8);
                schedule = ScheduleRequest.read(mapper, json, "schedule").toSchedule(null, minInterval);
            } catch (ValidationException e) {
                Object name = item instanceof ConfigObject object && object.get("name") != null
                        ? object.get("name").unwrapped() : null;
                throw c.bad(key, entry + (name == null ? "" : " ('" + name + "')") + ": " + e.getMessage());
            }
            if (!names.add(schedule.name())) {
                throw c.bad(key, entry + " is named '" + schedule.name() + "' as an earlier one is; names must differ");
            }
            schedules.add(schedule);
        }
        return schedules;
    }

    private static String storeUrl(Settings c) {
        String value = c.config().getString("store.url");
        Optional<String> problem = Database.urlProblem(value);
        if (problem.isPresent()) {
            throw c.bad("store.url", problem.get());
        }
        return value;
    }

}
