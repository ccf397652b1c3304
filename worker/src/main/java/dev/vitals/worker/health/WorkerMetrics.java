package dev.vitals.worker.health;

import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import dev.vitals.model.CheckStatus;
import dev.vitals.worker.check.CheckObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's metrics, served at {@code /metrics}:
 *
 * <ul>
 *   <li>{@code vitals_worker_checks_total{check, status}}: checks run, by result status;</li>
 *   <li>{@code vitals_worker_collection_seconds{check}}: how long reading each check took, once per reading
 *       the tasks of a short window share (histogram);</li>
 *   <li>{@code vitals_worker_check_value{check, worker_id}}: the last graded value of each check (percent,
 *       load per core, threads);</li>
 *   <li>{@code vitals_worker_tasks_total} and {@code vitals_worker_task_errors_total}: tasks handled, and
 *       those that could not be run or could not read every metric;</li>
 *   <li>{@code vitals_worker_broker_connected}: 1 while connected to the broker;</li>
 *   <li>JVM and process metrics.</li>
 * </ul>
 */
public final class WorkerMetrics implements CheckObserver {

    private final Map<CheckName, Timer> collection = new EnumMap<>(CheckName.class);
    private final Map<CheckName, AtomicLong> lastValueBits = new EnumMap<>(CheckName.class);
    private final Map<CheckName, Map<CheckStatus, Counter>> checks = new EnumMap<>(CheckName.class);

    /** @param registry where the meters go; {@code /metrics} scrapes it */
    public WorkerMetrics(MeterRegistry registry, String workerId, WorkerHealth health) {
        for (CheckName check : CheckName.values()) {
            collection.put(check, Timer.builder("vitals.worker.collection")
                    .description("Time to read one check from the machine (once for the tasks that share the reading)")
                    .tag("check", check.id())
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofNanos(10_000))
                    .maximumExpectedValue(Duration.ofSeconds(1))
                    .register(registry));
            Map<CheckStatus, Counter> byStatus = new EnumMap<>(CheckStatus.class);
            for (CheckStatus status : CheckStatus.values()) {
                byStatus.put(status, Counter.builder("vitals.worker.checks").description("Checks run, by result status")
                        .tags("check", check.id(), "status", status.id())
                        .register(registry));
            }
            checks.put(check, byStatus);
            AtomicLong bits = new AtomicLong(Double.doubleToLongBits(Double.NaN));
            lastValueBits.put(check, bits);
            Gauge.builder("vitals.worker.check.value", bits, b -> Double.longBitsToDouble(b.get()))
                    .description("Last graded value of the check (percent for cpu, memory, disk; load per core; threads)")
                    .tags("check", check.id(), "worker_id", workerId)
                    .register(registry);
        }
        FunctionCounter.builder("vitals.worker.tasks", health, h -> h.snapshot().checkCount())
                .description("Tasks handled").register(registry);
        FunctionCounter.builder("vitals.worker.task.errors", health, h -> h.snapshot().errorCount())
                .description("Tasks that could not be run or could not read every metric").register(registry);
        Gauge.builder("vitals.worker.broker.connected", health, h -> h.isBrokerConnected() ? 1 : 0)
                .description("1 while the worker is connected to the broker").register(registry);
    }

    @Override
    public void collected(CheckName check, Duration took) {
        collection.get(check).record(took);
    }

    @Override
    public void graded(CheckName check, CheckResult result) {
        checks.get(check).get(result.status()).increment();
        if (result.measurement() != null) {
            lastValueBits.get(check).set(Double.doubleToLongBits(result.measurement().gradedValue()));
        }
    }
}
