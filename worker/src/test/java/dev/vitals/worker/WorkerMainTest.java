package dev.vitals.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.model.CheckName;
import dev.vitals.model.ExitCode;
import dev.vitals.model.HealthReport;
import dev.vitals.model.json.VitalsJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code vitals worker --once}: measures this machine for real, without a broker. */
class WorkerMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return WorkerMain.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void onceJsonPrintsAGradedReportOfEveryCheckAndExitsWithItsCode() throws Exception {
        int exitCode = run("--once", "--json");

        HealthReport report = VitalsJson.newMapper().readValue(out.toString(StandardCharsets.UTF_8), HealthReport.class);
        assertThat(report.checks()).containsOnlyKeys(CheckName.values());
        assertThat(exitCode).isEqualTo(ExitCode.of(report.status()).code());
    }

    @Test
    void onceWithoutJsonPrintsATable() {
        int exitCode = run("--once");

        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("CHECK", "cpu", "memory", "disk", "load", "threads");
        assertThat(exitCode).isIn(0, 1);
    }

    @Test
    void unknownOptionExitsTwoWithUsage() {
        assertThat(run("--twice")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--twice'", "usage: vitals worker");
    }

    @Test
    void jsonWithoutOnceIsRefused() {
        assertThat(run("--json")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--json only goes with --once");
    }

    @Test
    void helpExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--once");
    }
}
