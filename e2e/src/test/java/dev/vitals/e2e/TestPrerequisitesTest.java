package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.testing.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/vitals test} first checks what the tests need and, when something is missing, stops at once naming it
 * with the command that provides it, instead of failing tests with bare timeouts. What is missing is simulated
 * (closed ports, failing stand-ins for rabbitmqctl and promtool): the machine's broker and database stay as they are.
 */
class TestPrerequisitesTest {

    @TempDir
    Path stubs;

    /** What {@code bin/vitals test --check} printed, and its exit code. */
    private record Checked(int exitCode, String output) {
    }

    private Checked check(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Launcher.ROOT.resolve("bin/vitals").toString(), "test", "--check")
                .directory(Launcher.ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Checked(process.exitValue(), output);
    }

    private void stub(String command, String script) throws IOException {
        Path file = stubs.resolve(command);
        Files.writeString(file, "#!/bin/sh\n" + script + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void onThisMachineEverythingTheTestsNeedIsThere() throws Exception {
        Checked checked = check(Map.of());

        assertThat(checked.exitCode()).as(checked.output()).isZero();
        assertThat(checked.output()).contains("everything the tests need is here");
    }

    @Test
    void withoutTheManagementApiRabbitmqctlPromtoolChromiumAndPostgresEachIsNamedWithItsFix() throws Exception {
        stub("rabbitmqctl", "echo 'Error: unable to perform an operation on node rabbit@localhost' >&2; exit 69");
        stub("promtool", "exit 127");
        int closed = FreePorts.freePort();
        Map<String, String> env = new HashMap<>();
        env.put("PATH", stubs + ":" + System.getenv("PATH"));
        env.put("RABBITMQ_MANAGEMENT_URI", "http://guest:guest@127.0.0.1:" + closed);
        env.put("VITALS_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/test?user=postgres");
        env.put("CHROMEDRIVER", stubs.resolve("no-such-chromedriver").toString());

        Checked checked = check(env);

        assertThat(checked.exitCode()).as(checked.output()).isEqualTo(2);
        assertThat(checked.output()).contains("the tests cannot run here yet:")
                .contains("management API, which does not answer at http://127.0.0.1:" + closed)
                .contains("rabbitmqctl fails: Error: unable to perform an operation on node")
                .contains("sudo rabbitmq-plugins enable rabbitmq_management")
                .contains("promtool is missing").contains("apt-get install --no-install-recommends prometheus")
                .contains("Chromium and its driver are missing").contains("apt-get install --no-install-recommends chromium chromium-driver")
                .contains("no PostgreSQL answers at 127.0.0.1:" + closed).contains("pg_ctlcluster")
                .contains(".ci/run");
    }

    @Test
    void withoutTheManagementApiButWithRabbitmqctlTheTestsCanRun() throws Exception {
        stub("rabbitmqctl", "exit 0");
        Map<String, String> env = new HashMap<>();
        env.put("PATH", stubs + ":" + System.getenv("PATH"));
        env.put("RABBITMQ_MANAGEMENT_URI", "http://guest:guest@127.0.0.1:" + FreePorts.freePort());

        Checked checked = check(env);

        assertThat(checked.exitCode()).as(checked.output()).isZero();
        assertThat(checked.output()).contains("the tests make their vhosts with rabbitmqctl");
    }

    @Test
    void aMissingTestDatabaseIsNamedWithTheCommandThatCreatesIt() throws Exception {
        Checked checked = check(Map.of("VITALS_TEST_PG_URL",
                "jdbc:postgresql://127.0.0.1:5432/vitals_no_such_database?user=postgres"));

        assertThat(checked.exitCode()).as(checked.output()).isEqualTo(2);
        assertThat(checked.output()).contains("PostgreSQL at 127.0.0.1:5432 has no database vitals_no_such_database:"
                + " createdb -h 127.0.0.1 -p 5432 -U postgres vitals_no_such_database");
    }
}
