package dev.vitals.worker.check;

import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import dev.vitals.model.HealthReport;
import dev.vitals.model.StatusAggregator;
import dev.vitals.model.Thresholds;
import dev.vitals.model.task.TaskRequest;
import dev.vitals.tracing.Tracing;
import dev.vitals.worker.collect.Collector;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs the requested checks on this machine and grades them into a {@link HealthReport}.
 *
 * <p>The checks are read through {@link SharedReadings}: tasks that arrive within a short window of each
 * other are graded from one reading of the machine, whose time is the report's {@code sampled_at}. This is
 * the boundary where a collector's failure becomes a result: whatever a collector throws becomes an
 * {@code unknown} check carrying the exception's message, and the other checks still run. Grading itself
 * is {@link dev.vitals.model.Threshold#grade(double)}, a pure function, and is done for each task with its
 * own thresholds.
 *
 * <p>With tracing on, each check graded for a task in a trace gets a span of its own ({@code check cpu} …)
 * with its name, graded value, thresholds and status ({@code vitals.check.*}).
 */
public final class HealthCheck {

    private static final AttributeKey<String> CHECK_NAME = AttributeKey.stringKey("vitals.check.name");
    private static final AttributeKey<String> CHECK_STATUS = AttributeKey.stringKey("vitals.check.status");
    private static final AttributeKey<Double> CHECK_VALUE = AttributeKey.doubleKey("vitals.check.value");
    private static final AttributeKey<Double> THRESHOLD_WARNING =
            AttributeKey.doubleKey("vitals.check.threshold.warning");
    private static final AttributeKey<Double> THRESHOLD_ERROR = AttributeKey.doubleKey("vitals.check.threshold.error");
    private static final AttributeKey<String> UNKNOWN_REASON = AttributeKey.stringKey("vitals.check.unknown_reason");

    private final SharedReadings readings;
    private final Thresholds defaults;
    private final String workerId;
    private final String hostname;
    private final Clock clock;
    private final Supplier<Duration> uptime;
    private final CheckObserver observer;
    private final Tracing tracing;
    private final Map<CheckName, String> spanNames = new EnumMap<>(CheckName.class);

    /**
     * @param collectors  one collector per check this machine can measure; a check without one is
     *                    reported {@code unknown}
     * @param defaults    thresholds used where a request does not override them
     * @param uptime      the machine's uptime, read once per report
     * @param shareWithin how long one reading of the machine serves later tasks; zero reads for every task
     * @param observer    told of every collector read and every check graded, for metrics
     */
    public HealthCheck(Map<CheckName, Collector> collectors, Thresholds defaults, String workerId, String hostname,
                       Clock clock, Supplier<Duration> uptime, Duration shareWithin, CheckObserver observer) {
        this(collectors, defaults, workerId, hostname, clock, uptime, shareWithin, observer, Tracing.off());
    }

    /** As the constructor above, with a span for each check graded in a trace. */
    public HealthCheck(Map<CheckName, Collector> collectors, Thresholds defaults, String workerId, String hostname,
                       Clock clock, Supplier<Duration> uptime, Duration shareWithin, CheckObserver observer,
                       Tracing tracing) {
        this.tracing = tracing;
        for (CheckName check : CheckName.values()) {
            spanNames.put(check, "check " + check.id());
        }
        this.readings = new SharedReadings(collectors, shareWithin, clock, observer);
        this.defaults = defaults;
        this.workerId = workerId;
        this.hostname = hostname;
        this.clock = clock;
        this.uptime = uptime;
        this.observer = observer;
    }

    /**
     * Grades the checks {@code request} names, with its threshold overrides, from a recent reading of the
     * machine. The report's {@code duration_ms} is the time that reading took plus this task's grading.
     *
     * @throws dev.vitals.model.ValidationException when the request's checks or thresholds are invalid;
     *                                              nothing is measured then
     */
    public HealthReport run(UUID taskId, TaskRequest request) {
        request.validate();
        Thresholds thresholds = defaults.withOverrides(request.thresholdOverrides(), "thresholds");
        SharedReadings.Readings reading = readings.current();
        long gradingStarted = System.nanoTime();
        Map<CheckName, CheckResult> results = new EnumMap<>(CheckName.class);
        boolean traced = tracing.recordsInTrace();
        for (CheckName check : request.checksToRun()) {
            Span span = traced ? tracing.startInTrace(spanNames.get(check), SpanKind.INTERNAL) : Span.getInvalid();
            CheckResult result = grade(check, reading, thresholds);
            observer.graded(check, result);
            if (span.isRecording()) {
                describe(span, check, result);
            }
            span.end();
            results.put(check, result);
        }
        long uptimeSeconds = uptime.get().toSeconds();
        double durationMs = (reading.tookNanos() + System.nanoTime() - gradingStarted) / 1_000_000.0;
        return new HealthReport(taskId, workerId, hostname, clock.instant(), reading.sampledAt(),
                Math.round(durationMs * 1000) / 1000.0,
                StatusAggregator.ofChecks(results.values().stream().map(CheckResult::status).toList()),
                results, uptimeSeconds);
    }

    private static void describe(Span span, CheckName check, CheckResult result) {
        span.setAttribute(CHECK_NAME, check.id());
        span.setAttribute(CHECK_STATUS, result.status().id());
        if (result.measurement() != null) {
            span.setAttribute(CHECK_VALUE, result.measurement().gradedValue());
        }
        if (result.threshold() != null) {
            span.setAttribute(THRESHOLD_WARNING, result.threshold().warning());
            span.setAttribute(THRESHOLD_ERROR, result.threshold().error());
        }
        if (result.error() != null) {
            span.setAttribute(UNKNOWN_REASON, result.error());
        }
    }

    private CheckResult grade(CheckName check, SharedReadings.Readings reading, Thresholds thresholds) {
        SharedReadings.Reading read = reading.byCheck().get(check);
        if (read == null) {
            return CheckResult.unknown(check, check.id() + " cannot be measured on this platform");
        }
        return read.graded(check, thresholds.forCheck(check));
    }
}
