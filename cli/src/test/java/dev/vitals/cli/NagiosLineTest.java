package dev.vitals.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import dev.vitals.model.DiskUsage;
import dev.vitals.model.HealthReport;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.LoadAverage;
import dev.vitals.model.MemoryUsage;
import dev.vitals.model.MountUsage;
import dev.vitals.model.StatusAggregator;
import dev.vitals.model.Threshold;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NagiosLineTest {

    private static HealthReport report(String workerId, Map<CheckName, CheckResult> checks) {
        return new HealthReport(UUID.randomUUID(), workerId, "host-a", Instant.parse("2026-11-22T10:15:30.123Z"),
                Instant.parse("2026-11-22T10:15:30.100Z"), 2.4,
                StatusAggregator.ofChecks(checks.values().stream().map(CheckResult::status).toList()), checks, 86400);
    }

    private static Map<CheckName, CheckResult> checks(double diskPercent) {
        Map<CheckName, CheckResult> checks = new EnumMap<>(CheckName.class);
        checks.put(CheckName.MEMORY, CheckResult.graded(new MemoryUsage(9.4, 7234.5, 8000), new Threshold(80, 95)));
        checks.put(CheckName.DISK, CheckResult.graded(DiskUsage.ofMounts(List.of(new MountUsage("/", diskPercent, 13, 160))),
                new Threshold(90, 95)));
        checks.put(CheckName.LOAD, CheckResult.graded(new LoadAverage(List.of(1.2, 1.5, 1.8), 0.6), new Threshold(1.5, 3)));
        return checks;
    }

    private static CheckOutcome.Completed completed(HealthReport... reports) {
        HealthStatus worst = StatusAggregator.ofReports(List.of(reports).stream().map(HealthReport::status).toList());
        return new CheckOutcome.Completed("{}", worst, List.of(reports), List.of());
    }

    @Test
    void healthyIsOkWithPerfdataForEveryCheck() {
        NagiosLine.Result result = NagiosLine.format(completed(report("host-a-1", checks(21.5))));

        assertThat(result.state().exitCode()).isZero();
        assertThat(result.line()).isEqualTo("VITALS OK - all checks ok on host-a-1 | "
                + "memory=9.40%;80;95;0;100 disk=21.50%;90;95;0;100 load=0.60;1.50;3;0;");
    }

    @Test
    void warningGivesTheReasonOfTheCheck() {
        NagiosLine.Result result = NagiosLine.format(completed(report("host-a-1", checks(91.9))));

        assertThat(result.state()).isEqualTo(NagiosLine.State.WARNING);
        assertThat(result.state().exitCode()).isEqualTo(1);
        assertThat(result.line()).startsWith("VITALS WARNING - disk / is 91.9 % full (13.0 GB free of 160 GB), "
                + "above the warning threshold 90 % | ");
    }

    @Test
    void errorIsCritical() {
        assertThat(NagiosLine.format(completed(report("host-a-1", checks(99)))).state().exitCode()).isEqualTo(2);
    }

    @Test
    void severalWorkersPrefixTheirLabels() {
        NagiosLine.Result result = NagiosLine.format(completed(report("w1", checks(20)), report("w2", checks(96))));

        assertThat(result.line()).startsWith("VITALS CRITICAL - w2: disk / is 96.0 % full (13.0 GB free of 160 GB), "
                        + "above the error threshold 95 % | ")
                .contains(" w1_disk=20%;90;95;0;100", " w2_disk=96%;90;95;0;100");
    }

    @Test
    void unknownCheckIsNamedWithoutPerfdata() {
        Map<CheckName, CheckResult> checks = checks(20);
        checks.put(CheckName.LOAD, CheckResult.unknown(CheckName.LOAD, "no load averages here"));

        NagiosLine.Result result = NagiosLine.format(completed(report("w1", checks)));

        assertThat(result.state()).isEqualTo(NagiosLine.State.WARNING);
        assertThat(result.line()).contains("load unknown: no load averages here").doesNotContain("load=");
    }

    @Test
    void checkNotCarriedOutIsUnknownOnOneLine() {
        NagiosLine.Result result = NagiosLine.format(new CheckOutcome.NotCarriedOut("cannot reach | the\nAPI", null));

        assertThat(result.state().exitCode()).isEqualTo(3);
        assertThat(result.line()).isEqualTo("VITALS UNKNOWN - cannot reach / the API");
    }
}
