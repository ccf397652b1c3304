package dev.vitals.api.metrics;

import dev.vitals.api.canary.CanaryObserver;
import dev.vitals.api.messaging.QueueMonitor;
import dev.vitals.api.schedule.ScheduleObserver;
import dev.vitals.api.store.StoredTask;
import dev.vitals.api.task.TaskObserver;
import dev.vitals.api.worker.WorkerDirectory;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import dev.vitals.api.state.WorkerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The API's metrics, served at {@code /metrics}:
 *
 * <ul>
 *   <li>{@code vitals_api_tasks_submitted_total{target}} and {@code vitals_api_tasks_finished_total{status,target}}
 *       ({@code target} is {@code any}, {@code all} or {@code worker}, so that worker ids do not multiply series);</li>
 *   <li>{@code vitals_api_task_duration_seconds{status}}: from acceptance to the end (histogram);</li>
 *   <li>{@code http_server_requests_seconds{method,route,status}};</li>
 *   <li>{@code vitals_api_schedule_runs_total{schedule,result}}: scheduled runs this replica claimed, by how
 *       they went ({@code submitted}, {@code failed}, {@code skipped}); {@code vitals_api_schedule_lag_seconds}: a
 *       gauge, how late the last run this replica claimed started after it was due;</li>
 *   <li>{@code vitals_api_canary_round_trip_seconds}: from a canary's submission to its report stored and seen here
 *       (histogram); {@code vitals_api_canary_failures_total}: canaries that did not come back in time;</li>
 *   <li>{@code vitals_api_worker_state{worker_id,status}}: 1 for each worker's current state, 0 for the others;</li>
 *   <li>{@code vitals_api_task_queue_messages} and {@code vitals_api_task_queue_consumers}: the
 *       {@code maintenance_tasks} backlog and its consumers; {@code vitals_api_workers_alive};</li>
 *   <li>the store's pool ({@code hikaricp_*}), the RabbitMQ client ({@code vitals_api_rabbitmq_*}), JVM and
 *       process metrics.</li>
 * </ul>
 */
public final class ApiMetrics implements TaskObserver, ScheduleObserver, CanaryObserver {

    private final MeterRegistry registry;
    /** How late the last run this replica claimed started, in seconds; NaN before the first. */
    private final AtomicReference<Double> scheduleLag = new AtomicReference<>(Double.NaN);
    private final MultiGauge workerStates;
    private final Timer canaryRoundTrip;
    private final Counter canaryFailures;

    /** @param registry where the meters go; {@code /metrics} scrapes it */
    public ApiMetrics(MeterRegistry registry, QueueMonitor queue, WorkerDirectory workers) {
        this.registry = registry;
        Gauge.builder("vitals.api.task.queue.messages", queue, q -> orNaN(q.backlog()))
                .description("Tasks waiting in maintenance_tasks (NaN while unknown)").register(registry);
        Gauge.builder("vitals.api.task.queue.consumers", queue, q -> orNaN(q.consumers()))
                .description("Consumers (workers) of maintenance_tasks (NaN while unknown)").register(registry);
        Gauge.builder("vitals.api.workers.alive", workers, w -> aliveOrNaN(w))
                .description("Workers alive by their heartbeats").register(registry);
        Gauge.builder("vitals.api.schedule.lag.seconds", scheduleLag, AtomicReference::get)
                .description("How late the last scheduled run this replica claimed started after it was due, in"
                        + " seconds (NaN before the first)").register(registry);
        workerStates = MultiGauge.builder("vitals.api.worker.state")
                .description("1 for the state each worker's scheduled runs put it in, 0 for the other states")
                .register(registry);
        canaryRoundTrip = Timer.builder("vitals.api.canary.round.trip")
                .description("From a canary task's submission to its report stored and seen by this replica")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        canaryFailures = Counter.builder("vitals.api.canary.failures")
                .description("Canary tasks that did not come back within vitals.api.canary.timeout (not taken, failed,"
                        + " expired, or not accepted)")
                .register(registry);
    }

    @Override
    public void claimed(String schedule, Duration lag) {
        scheduleLag.set(lag.toNanos() / 1e9);
    }

    @Override
    public void ran(String schedule, RunResult result) {
        Counter.builder("vitals.api.schedule.runs").description("Scheduled runs this replica claimed, by how they"
                        + " went: submitted (task sent), failed (task failed at once: no live worker for its target),"
                        + " skipped (no task: broker away)")
                .tags("schedule", schedule, "result", result.id()).register(registry).increment();
    }

    @Override
    public void cameBack(Duration roundTrip) {
        canaryRoundTrip.record(roundTrip);
    }

    @Override
    public void failed() {
        canaryFailures.increment();
    }

    /** Sets {@code vitals_api_worker_state} to these workers' states; workers not given are dropped. */
    public void workerStates(Map<String, WorkerStatus> statuses) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        statuses.forEach((worker, current) -> {
            for (WorkerStatus status : WorkerStatus.values()) {
                rows.add(MultiGauge.Row.of(Tags.of("worker_id", worker, "status", status.id()), status == current ? 1 : 0));
            }
        });
        workerStates.register(rows, true);
    }

    @Override
    public void submitted(StoredTask task) {
        if (task.canary()) {
            return; // counted by the canary's own metrics
        }
        Counter.builder("vitals.api.tasks.submitted").description("Tasks accepted (stored and confirmed by the broker)")
                .tag("target", targetKind(task.target())).register(registry).increment();
    }

    @Override
    public void ended(StoredTask task, TaskStatus status, Instant at) {
        if (task.canary()) {
            return;
        }
        Counter.builder("vitals.api.tasks.finished").description("Tasks that reached a terminal status")
                .tags("status", status.id(), "target", targetKind(task.target())).register(registry).increment();
        Timer.builder("vitals.api.task.duration").description("Time from acceptance to a terminal status")
                .tag("status", status.id())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry)
                .record(Duration.between(task.createdAt(), at).abs());
    }

    /** One HTTP request, by its route template (not its path, so task ids do not multiply series). */
    public void httpRequest(String method, String route, int status, Duration took) {
        Timer.builder("http.server.requests").description("HTTP requests served")
                .tags("method", method, "route", route.isEmpty() ? "unmatched" : route, "status", Integer.toString(status))
                .register(registry)
                .record(took);
    }

    private static String targetKind(Target target) {
        return target.isWorker() ? "worker" : target.value();
    }

    private static double orNaN(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : Double.NaN;
    }

    private static double aliveOrNaN(WorkerDirectory workers) {
        try {
            return workers.aliveWorkerIds().size();
        } catch (RuntimeException e) {
            return Double.NaN; // the store is away; the scrape still answers
        }
    }
}
