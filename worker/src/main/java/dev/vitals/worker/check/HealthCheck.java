package dev.vitals.worker.check;

import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import dev.vitals.model.HealthReport;
import dev.vitals.model.StatusAggregator;
import dev.vitals.model.Thresholds;
import dev.vitals.model.task.TaskRequest;
import dev.vitals.worker.collect.Collector;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs the requested checks on this machine and grades them into a {@link HealthReport}.
 *
 * <p>This is the boundary where a collector's failure becomes a result: whatever a collector throws
 * becomes an {@code unknown} check carrying the exception's message, and the other checks still run.
 * Grading itself is {@link dev.vitals.model.Threshold#grade(double)}, a pure function.
 */
public final class HealthCheck {

    private final Map<CheckName, Collector> collectors;
    private final Thresholds defaults;
    private final String workerId;
    private final String hostname;
    private final Clock clock;
    private final Supplier<Duration> uptime;
    private final CheckObserver observer;

    /**
     * @param collectors one collector per check this machine can measure; a check without one is
     *                   reported {@code unknown}
     * @param defaults   thresholds used where a request does not override them
     * @param uptime     the machine's uptime, read once per report
     * @param observer   told of every check measured, for metrics
     */
    public HealthCheck(Map<CheckName, Collector> collectors, Thresholds defaults, String workerId, String hostname,
                       Clock clock, Supplier<Duration> uptime, CheckObserver observer) {
        this.collectors = Map.copyOf(collectors);
        this.defaults = defaults;
        this.workerId = workerId;
        this.hostname = hostname;
        this.clock = clock;
        this.uptime = uptime;
        this.observer = observer;
    }

    /**
     * Measures and grades the checks {@code request} names, with its threshold overrides.
     *
     * @throws dev.vitals.model.ValidationException when the request's checks or thresholds are invalid;
     *                                              nothing is measured then
     */
    public HealthReport run(UUID taskId, TaskRequest request) {
        request.validate();
        Thresholds thresholds = defaults.withOverrides(request.thresholdOverrides(), "thresholds");
        long start = System.nanoTime();
        Map<CheckName, CheckResult> results = new EnumMap<>(CheckName.class);
        for (CheckName check : request.checksToRun()) {
            long checkStart = System.nanoTime();
            CheckResult result = measure(check, thresholds);
            observer.measured(check, Duration.ofNanos(System.nanoTime() - checkStart), result);
            results.put(check, result);
        }
        long uptimeSeconds = uptime.get().toSeconds();
        double durationMs = (System.nanoTime() - start) / 1_000_000.0;
        return new HealthReport(taskId, workerId, hostname, clock.instant(), Math.round(durationMs * 1000) / 1000.0,
                StatusAggregator.ofChecks(results.values().stream().map(CheckResult::status).toList()),
                results, uptimeSeconds);
    }

    private CheckResult measure(CheckName check, Thresholds thresholds) {
        Collector collector = collectors.get(check);
        if (collector == null) {
            return CheckResult.unknown(check.id() + " cannot be measured on this platform");
        }
        try {
            return CheckResult.graded(collector.collect(), thresholds.forCheck(check));
        } catch (RuntimeException | LinkageError e) {
            return CheckResult.unknown(describe(e));
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
