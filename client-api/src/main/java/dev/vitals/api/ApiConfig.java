package dev.vitals.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.vitals.api.alert.AlertSettings;
import dev.vitals.api.store.Database;
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
 * @param alerts            alerts and where their notifications go
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
        AlertSettings alerts,
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
     * Reads {@code vitals.api} and {@code vitals.broker} from {@code config} (resolved, with this module's
     * and the broker's reference.conf as fallback).
     *
     * @throws ConfigException naming the key, the value and what is allowed
     */
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
                AlertSettings.from(config),
                BrokerSettings.from(config));
    }

    /** Never shows the tokens or the store's password. */
    @Override
    public String toString() {
        return "ApiConfig[host=" + host + ", port=" + port + ", tokens=" + tokens.size() + " configured"
                + ", eventsQueue=" + eventsQueue + " (" + eventsQueueType + "), deadLettersQueue=" + deadLettersQueue + ", store=" + store
                + ", tasks=" + tasks + ", workers=" + workers + ", readiness=" + readiness
                + ", maxBodyBytes=" + maxBodyBytes + ", alerts=" + alerts + ", broker=" + broker.safeUri() + "]";
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

    private static String storeUrl(Settings c) {
        String value = c.config().getString("store.url");
        Optional<String> problem = Database.urlProblem(value);
        if (problem.isPresent()) {
            throw c.bad("store.url", problem.get());
        }
        return value;
    }

}
