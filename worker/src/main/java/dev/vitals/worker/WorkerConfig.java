package dev.vitals.worker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.vitals.broker.BrokerSettings;
import dev.vitals.broker.Topology;
import dev.vitals.model.CheckName;
import dev.vitals.model.Threshold;
import dev.vitals.model.Thresholds;
import dev.vitals.model.ValidationException;
import dev.vitals.model.task.Target;
import dev.vitals.settings.Settings;
import dev.vitals.worker.collect.GradeScope;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Everything the worker is configured with, read from {@code vitals.worker} and {@code vitals.broker}
 * (see {@code reference.conf}) and validated once at start-up.
 *
 * @param workerId              this worker's id
 * @param hostname              the machine's name, as reports show it
 * @param prefetch              most unacknowledged tasks held at once
 * @param thresholds            default thresholds, validated
 * @param watchedPaths          mount points the disk check watches; empty means every real one
 * @param cpuSampleInterval     period of the background CPU sampler
 * @param shareReadingsWithin   how long one reading of the machine serves the tasks that follow it
 * @param ownQueueExpires       how long the worker's own queue outlives its consumer
 * @param ownQueueType          the type of the worker's own queue: quorum on a broker cluster
 * @param heartbeatInterval     period of {@code worker.heartbeat} events
 * @param degradedAfterFailures tasks in a row with unreadable checks before {@code /health} says degraded
 * @param healthHost            address the health endpoint binds to
 * @param healthPort            port of the health endpoint; 0 picks a free one
 * @param shutdownTimeout       longest wait on SIGTERM for tasks in hand
 * @param onceCpuWindow         CPU window measured by {@code --once}
 * @param gradeScope            what cpu and memory are graded against: the container's limits or the host
 * @param broker                the broker settings
 */
public record WorkerConfig(
        String workerId,
        String hostname,
        int prefetch,
        Thresholds thresholds,
        List<String> watchedPaths,
        Duration cpuSampleInterval,
        Duration shareReadingsWithin,
        Duration ownQueueExpires,
        Topology.WorkerQueueType ownQueueType,
        Duration heartbeatInterval,
        int degradedAfterFailures,
        String healthHost,
        int healthPort,
        Duration shutdownTimeout,
        Duration onceCpuWindow,
        GradeScope gradeScope,
        BrokerSettings broker) {

    private static final String PATH = "vitals.worker";

    /** Loads the configuration the standard way: environment, system properties, application.conf, reference.conf. */
    public static WorkerConfig load(String hostname) {
        return from(ConfigFactory.load(), hostname);
    }

    /**
     * Reads and validates the worker's settings.
     *
     * @throws ConfigException naming the key, the value and what is allowed
     */
    public static WorkerConfig from(Config root, String hostname) {
        root.checkValid(ConfigFactory.defaultReference(), PATH);
        Settings c = Settings.at(root, PATH);
        return new WorkerConfig(
                workerId(c, c.config().getString("id"), hostname),
                hostname,
                c.intBetween("prefetch", 1, 1000),
                thresholds(c),
                List.copyOf(c.config().getStringList("disk.watched-paths")),
                c.durationBetween("cpu.sample-interval", Duration.ofMillis(100), Duration.ofMinutes(1)),
                c.durationBetween("share-readings-within", Duration.ZERO, Duration.ofSeconds(10)),
                c.durationBetween("own-queue-expires", Duration.ofSeconds(10), Duration.ofDays(1)),
                ownQueueType(c),
                c.durationBetween("heartbeat-interval", Duration.ofSeconds(1), Duration.ofMinutes(5)),
                c.intBetween("degraded-after-failures", 1, 1000),
                c.config().getString("health.host"),
                c.intBetween("health.port", 0, 65535),
                c.durationBetween("shutdown-timeout", Duration.ofSeconds(1), Duration.ofMinutes(10)),
                c.durationBetween("once.cpu-window", Duration.ofMillis(100), Duration.ofSeconds(10)),
                gradeScope(c),
                BrokerSettings.from(root));
    }

    /**
     * The thresholds {@code reference.conf} documents under {@code vitals.worker.thresholds}, for grading without a
     * configuration of one's own (tests, benchmarks). A worker grades with its {@link #thresholds()}.
     */
    public static Thresholds defaultThresholds() {
        return thresholds(Settings.at(ConfigFactory.defaultReference(), PATH));
    }

    private static Topology.WorkerQueueType ownQueueType(Settings c) {
        String value = c.config().getString("own-queue-type");
        return switch (value) {
            case "classic" -> Topology.WorkerQueueType.CLASSIC;
            case "quorum" -> Topology.WorkerQueueType.QUORUM;
            default -> throw c.bad("own-queue-type", "must be classic or quorum, got '" + value + "'");
        };
    }

    private static String workerId(Settings c, String configured, String hostname) {
        if (configured.isEmpty()) {
            String suffix = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
            String base = hostname.replaceAll("[^A-Za-z0-9._:-]", "-");
            return (base.isEmpty() || !Character.isLetterOrDigit(base.charAt(0)) ? "worker" : base) + "-" + suffix;
        }
        if (!Target.isWorkerId(configured) || configured.equals("any") || configured.equals("all")) {
            throw c.bad("id", "must be letters, digits, '.', '_', ':' or '-' (at most "
                    + Target.MAX_WORKER_ID_LENGTH + ", not 'any' or 'all'), got '"
                    + configured + "'");
        }
        return configured;
    }

    private static GradeScope gradeScope(Settings c) {
        String value = c.config().getString("grade-scope");
        for (GradeScope scope : GradeScope.values()) {
            if (scope.id().equals(value)) {
                return scope;
            }
        }
        throw c.bad("grade-scope", "must be auto, host or container, got '" + value + "'");
    }

    private static Thresholds thresholds(Settings c) {
        Config thresholds = c.config().getConfig("thresholds");
        Map<CheckName, Threshold> configured = new EnumMap<>(CheckName.class);
        for (String key : thresholds.root().keySet()) {
            CheckName check = CheckName.find(key).orElseThrow(() -> c.bad("thresholds." + key,
                    "is not a check; known checks are " + CheckName.knownNames()));
            configured.put(check, new Threshold(thresholds.getDouble(key + ".warning"),
                    thresholds.getDouble(key + ".error")));
        }
        try {
            return Thresholds.of(configured, PATH + ".thresholds");
        } catch (ValidationException e) {
            throw new ConfigException.BadValue(e.field(), e.getMessage().substring(e.field().length() + 2));
        }
    }
}
