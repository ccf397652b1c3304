package dev.vitals.worker.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import dev.vitals.model.CheckStatus;
import dev.vitals.model.CpuUsage;
import dev.vitals.model.HealthReport;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.Measurement;
import dev.vitals.model.MemoryUsage;
import dev.vitals.model.Threshold;
import dev.vitals.model.ValidationException;
import dev.vitals.model.task.TaskRequest;
import dev.vitals.tracing.Tracing;
import dev.vitals.worker.WorkerConfig;
import dev.vitals.worker.collect.Collector;
import dev.vitals.worker.collect.MetricUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30.123Z");
    private static final UUID TASK = UUID.fromString("5f0c0e4e-3c1a-4d8e-9a57-2f0b8a1c9d10");

    private static Collector fixed(CheckName check, Supplier<Measurement> measurement) {
        return new Collector() {
            @Override
            public CheckName check() {
                return check;
            }

            @Override
            public Measurement collect() {
                return measurement.get();
            }
        };
    }

    // Concurrent tasks tell the observer from several threads at once.
    private final List<CheckResult> graded = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<CheckName> gradedChecks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<CheckName> collected = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Duration> collectionTimes = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final CheckObserver observer = new CheckObserver() {
        @Override
        public void collected(CheckName check, Duration took) {
            collected.add(check);
            collectionTimes.add(took);
        }

        @Override
        public void graded(CheckName check, CheckResult result) {
            gradedChecks.add(check);
            graded.add(result);
        }
    };

    private HealthCheck healthCheck(Collector... collectors) {
        return healthCheck(Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC), collectors);
    }

    private HealthCheck healthCheck(Duration shareWithin, Clock clock, Collector... collectors) {
        return new HealthCheck(byCheck(collectors), WorkerConfig.defaultThresholds(), "host-a-1", "host-a", clock,
                () -> Duration.ofSeconds(86_400), shareWithin, observer);
    }

    private static Map<CheckName, Collector> byCheck(Collector... collectors) {
        Map<CheckName, Collector> byCheck = new java.util.EnumMap<>(CheckName.class);
        for (Collector collector : collectors) {
            byCheck.put(collector.check(), collector);
        }
        return byCheck;
    }

    private HealthCheck traced(Tracing tracing, Collector... collectors) {
        return new HealthCheck(byCheck(collectors), WorkerConfig.defaultThresholds(), "host-a-1", "host-a",
                Clock.fixed(NOW, ZoneOffset.UTC), () -> Duration.ofSeconds(86_400), Duration.ZERO, observer, tracing);
    }

    private static OpenTelemetrySdk sdk(InMemorySpanExporter exporter) {
        return OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
    }

    @Test
    void givesEachCheckGradedInATraceASpanWithItsValueThresholdsAndStatus() {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        try (OpenTelemetrySdk sdk = sdk(exported)) {
            Tracing tracing = Tracing.with(sdk);
            Span task = tracing.start("process maintenance_tasks", SpanKind.CONSUMER);
            try (Scope ignored = task.makeCurrent()) {
                traced(tracing, cpu, memory).run(TASK, TaskRequest.DEFAULT);
            } finally {
                task.end();
            }

            Map<String, SpanData> checks = new java.util.HashMap<>();
            exported.getFinishedSpanItems().stream().filter(span -> span.getName().startsWith("check "))
                    .forEach(span -> checks.put(span.getName(), span));
            assertThat(checks).containsOnlyKeys("check cpu", "check memory", "check disk", "check load",
                    "check threads");
            assertThat(checks.values()).allSatisfy(span -> assertThat(span.getParentSpanId())
                    .isEqualTo(task.getSpanContext().getSpanId()));
            assertThat(checks.get("check memory").getAttributes().asMap().toString())
                    .contains("vitals.check.name=memory", "vitals.check.status=warning", "vitals.check.value=85.0",
                            "vitals.check.threshold.warning=80.0", "vitals.check.threshold.error=95.0");
            assertThat(checks.get("check disk").getAttributes().asMap().toString())
                    .contains("vitals.check.status=unknown", "vitals.check.unknown_reason=");
        }
    }

    @Test
    void makesNoCheckSpansOutsideATrace() {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        try (OpenTelemetrySdk sdk = sdk(exported)) {
            traced(Tracing.with(sdk), cpu, memory).run(TASK, TaskRequest.DEFAULT);

            assertThat(exported.getFinishedSpanItems()).isEmpty();
        }
    }

    /** A memory collector whose reading goes up by one percent at each read. */
    private static Collector counting(AtomicInteger reads) {
        return fixed(CheckName.MEMORY, () -> new MemoryUsage(10.0 + reads.incrementAndGet(), 1200, 8000));
    }

    private final Collector cpu = fixed(CheckName.CPU, () -> new CpuUsage(12.5, 2, 1.0));
    private final Collector memory = fixed(CheckName.MEMORY, () -> new MemoryUsage(85.0, 1200, 8000));

    @Test
    void runsOnlyTheRequestedChecks() {
        HealthReport report = healthCheck(cpu, memory).run(TASK, new TaskRequest(null, List.of(CheckName.CPU), null, null));

        assertThat(report.checks()).containsOnlyKeys(CheckName.CPU);
        assertThat(report.status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void gradesWithDefaultThresholdsAndTakesTheWorstCheck() {
        HealthReport report = healthCheck(cpu, memory).run(TASK, new TaskRequest(null,
                List.of(CheckName.CPU, CheckName.MEMORY), null, null));

        assertThat(report.checks().get(CheckName.MEMORY).status()).isEqualTo(CheckStatus.WARNING);
        assertThat(report.checks().get(CheckName.MEMORY).threshold()).isEqualTo(new Threshold(80, 95));
        assertThat(report.status()).isEqualTo(HealthStatus.WARNING);
    }

    @Test
    void requestThresholdsOverrideTheDefaults() {
        HealthReport report = healthCheck(cpu).run(TASK, new TaskRequest(null, List.of(CheckName.CPU),
                Map.of(CheckName.CPU, new Threshold(5, 10)), null));

        assertThat(report.checks().get(CheckName.CPU).status()).isEqualTo(CheckStatus.ERROR);
        assertThat(report.checks().get(CheckName.CPU).threshold()).isEqualTo(new Threshold(5, 10));
    }

    @Test
    void aThrowingCollectorBecomesUnknownAndTheOthersStillRun() {
        Collector broken = fixed(CheckName.DISK, () -> {
            throw new IllegalStateException("statvfs failed on /");
        });

        HealthReport report = healthCheck(cpu, broken).run(TASK, new TaskRequest(null,
                List.of(CheckName.CPU, CheckName.DISK), null, null));

        assertThat(report.checks().get(CheckName.DISK).status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(report.checks().get(CheckName.DISK).error()).isEqualTo("statvfs failed on /");
        assertThat(report.checks().get(CheckName.CPU).status()).isEqualTo(CheckStatus.OK);
        assertThat(report.status()).isEqualTo(HealthStatus.WARNING);
    }

    @Test
    void anUnavailableMetricIsUnknownWithItsReason() {
        Collector load = fixed(CheckName.LOAD, () -> {
            throw new MetricUnavailableException("this platform has no load averages");
        });

        HealthReport report = healthCheck(load).run(TASK, new TaskRequest(null, List.of(CheckName.LOAD), null, null));

        assertThat(report.checks().get(CheckName.LOAD).error()).isEqualTo("this platform has no load averages");
    }

    @Test
    void aCheckWithoutACollectorIsUnknown() {
        HealthReport report = healthCheck(cpu).run(TASK, new TaskRequest(null, List.of(CheckName.THREADS), null, null));

        assertThat(report.checks().get(CheckName.THREADS).status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(report.checks().get(CheckName.THREADS).reason()).contains("threads");
    }

    @Test
    void reportCarriesIdentityTimeAndUptime() {
        HealthReport report = healthCheck(cpu).run(TASK, new TaskRequest(null, List.of(CheckName.CPU), null, null));

        assertThat(report.taskId()).isEqualTo(TASK);
        assertThat(report.workerId()).isEqualTo("host-a-1");
        assertThat(report.hostname()).isEqualTo("host-a");
        assertThat(report.timestamp()).isEqualTo(NOW);
        assertThat(report.uptimeSeconds()).isEqualTo(86_400);
        assertThat(report.durationMs()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void invalidRequestThresholdsAreRefusedNamingTheField() {
        TaskRequest bad = new TaskRequest(null, null, Map.of(CheckName.DISK, new Threshold(96, 95)), null);

        assertThatThrownBy(() -> healthCheck(cpu).run(TASK, bad))
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("thresholds.disk");
    }

    @Test
    void theObserverIsToldOfEveryCollectorReadAndEveryCheckGraded() {
        healthCheck(cpu, memory).run(TASK, new TaskRequest(null, List.of(CheckName.CPU, CheckName.MEMORY), null, null));

        assertThat(collected).containsExactly(CheckName.CPU, CheckName.MEMORY);
        assertThat(collectionTimes).allSatisfy(took -> assertThat(took).isGreaterThanOrEqualTo(Duration.ZERO));
        assertThat(gradedChecks).containsExactly(CheckName.CPU, CheckName.MEMORY);
        assertThat(graded).extracting(CheckResult::status).containsExactly(CheckStatus.OK, CheckStatus.WARNING);
    }

    @Test
    void tasksWithinTheSharingWindowAreGradedFromOneReadingWithTheirOwnThresholds() {
        AtomicInteger reads = new AtomicInteger();
        Clock clock = new MovingClock(NOW);
        HealthCheck check = healthCheck(Duration.ofMinutes(1), clock, counting(reads));
        TaskRequest memoryOnly = new TaskRequest(null, List.of(CheckName.MEMORY), null, null);

        HealthReport first = check.run(TASK, memoryOnly);
        HealthReport second = check.run(UUID.randomUUID(), new TaskRequest(null, List.of(CheckName.MEMORY),
                Map.of(CheckName.MEMORY, new Threshold(5, 10)), null));

        assertThat(reads).hasValue(1);
        assertThat(collected).containsExactly(CheckName.MEMORY);
        assertThat(second.sampledAt()).isEqualTo(first.sampledAt()).isEqualTo(NOW);
        assertThat(second.timestamp()).isAfter(first.timestamp());
        assertThat(second.checks().get(CheckName.MEMORY).measurement())
                .isEqualTo(first.checks().get(CheckName.MEMORY).measurement());
        assertThat(first.checks().get(CheckName.MEMORY).status()).isEqualTo(CheckStatus.OK);
        assertThat(second.checks().get(CheckName.MEMORY).status()).isEqualTo(CheckStatus.ERROR);
    }

    @Test
    void withoutASharingWindowEveryTaskReadsTheMachine() {
        AtomicInteger reads = new AtomicInteger();
        HealthCheck check = healthCheck(Duration.ZERO, new MovingClock(NOW), counting(reads));
        TaskRequest memoryOnly = new TaskRequest(null, List.of(CheckName.MEMORY), null, null);

        HealthReport first = check.run(TASK, memoryOnly);
        HealthReport second = check.run(TASK, memoryOnly);

        assertThat(reads).hasValue(2);
        assertThat(second.sampledAt()).isAfter(first.sampledAt());
        assertThat(second.checks().get(CheckName.MEMORY).measurement())
                .isNotEqualTo(first.checks().get(CheckName.MEMORY).measurement());
    }

    @Test
    void concurrentTasksShareOneReading() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        java.util.concurrent.CountDownLatch inCollector = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Collector slow = fixed(CheckName.MEMORY, () -> {
            inCollector.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new MemoryUsage(10.0 + reads.incrementAndGet(), 1200, 8000);
        });
        HealthCheck check = healthCheck(Duration.ofMinutes(1), Clock.fixed(NOW, ZoneOffset.UTC), slow);
        TaskRequest memoryOnly = new TaskRequest(null, List.of(CheckName.MEMORY), null, null);
        try (var tasks = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var first = tasks.submit(() -> check.run(TASK, memoryOnly));
            inCollector.await();
            List<java.util.concurrent.Future<HealthReport>> others = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                others.add(tasks.submit(() -> check.run(UUID.randomUUID(), memoryOnly)));
            }
            release.countDown();
            assertThat(first.get().checks().get(CheckName.MEMORY).measurement()).isEqualTo(new MemoryUsage(11.0, 1200, 8000));
            for (var other : others) {
                assertThat(other.get().checks().get(CheckName.MEMORY).measurement()).isEqualTo(new MemoryUsage(11.0, 1200, 8000));
            }
        }
        assertThat(reads).hasValue(1);
    }

    /** A clock that moves on by a millisecond at each reading. */
    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant start) {
            this.now = start;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            Instant current = now;
            now = now.plusMillis(1);
            return current;
        }
    }
}
