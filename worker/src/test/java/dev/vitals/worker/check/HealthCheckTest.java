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
import dev.vitals.model.Thresholds;
import dev.vitals.model.ValidationException;
import dev.vitals.model.task.TaskRequest;
import dev.vitals.worker.collect.Collector;
import dev.vitals.worker.collect.MetricUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
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

    private record Observed(CheckName check, Duration took, CheckResult result) {
    }

    private final List<Observed> observed = new java.util.ArrayList<>();

    private HealthCheck healthCheck(Collector... collectors) {
        Map<CheckName, Collector> byCheck = new java.util.EnumMap<>(CheckName.class);
        for (Collector collector : collectors) {
            byCheck.put(collector.check(), collector);
        }
        return new HealthCheck(byCheck, Thresholds.DEFAULTS, "host-a-1", "host-a",
                Clock.fixed(NOW, ZoneOffset.UTC), () -> Duration.ofSeconds(86_400), (check, took, result) -> observed.add(new Observed(check, took, result)));
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
        assertThat(report.checks().get(CheckName.DISK).reason()).isEqualTo("statvfs failed on /");
        assertThat(report.checks().get(CheckName.CPU).status()).isEqualTo(CheckStatus.OK);
        assertThat(report.status()).isEqualTo(HealthStatus.WARNING);
    }

    @Test
    void anUnavailableMetricIsUnknownWithItsReason() {
        Collector load = fixed(CheckName.LOAD, () -> {
            throw new MetricUnavailableException("this platform has no load averages");
        });

        HealthReport report = healthCheck(load).run(TASK, new TaskRequest(null, List.of(CheckName.LOAD), null, null));

        assertThat(report.checks().get(CheckName.LOAD).reason()).isEqualTo("this platform has no load averages");
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
    void theObserverIsToldOfEveryCheckWithItsResult() {
        healthCheck(cpu, memory).run(TASK, new TaskRequest(null, List.of(CheckName.CPU, CheckName.MEMORY), null, null));

        assertThat(observed).extracting(Observed::check).containsExactly(CheckName.CPU, CheckName.MEMORY);
        assertThat(observed).extracting(o -> o.result().status()).containsExactly(CheckStatus.OK, CheckStatus.WARNING);
        assertThat(observed).allSatisfy(o -> assertThat(o.took()).isGreaterThanOrEqualTo(Duration.ZERO));
    }
}
