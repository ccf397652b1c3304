package dev.vitals.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JavaProcessTest {

    private static final Duration STARTUP = Duration.ofSeconds(30);

    @Test
    void runsTheMainClassAsASeparateProcessAndSeesItsOutput() throws Exception {
        try (JavaProcess process = JavaProcess.builder(SignalAwareMain.class)
                .outputFile("java-process-output.log")
                .start()) {
            process.awaitOutputContains(SignalAwareMain.READY, STARTUP);

            assertThat(process.pid()).isNotEqualTo(ProcessHandle.current().pid());
            assertThat(process.outputFile()).endsWith(JavaProcess.OUTPUT_DIRECTORY.resolve("java-process-output.log"));
            assertThat(process.outputText()).contains("this line went to standard error");
        }
    }

    @Test
    void passesArgumentsEnvironmentVariablesAndSystemProperties() throws Exception {
        try (JavaProcess process = JavaProcess.builder(SignalAwareMain.class)
                .args("first", "second word")
                .env(SignalAwareMain.ENV_VARIABLE, "from the environment")
                .systemProperty(SignalAwareMain.PROPERTY, "from a property")
                .start()) {
            process.awaitOutputContains(SignalAwareMain.READY, STARTUP);

            assertThat(process.outputText())
                    .contains("args=[first, second word]")
                    .contains("env=from the environment")
                    .contains("property=from a property");
        }
    }

    @Test
    void terminateSendsSigtermSoShutdownHooksRunAndTheJvmExitsWith143() throws Exception {
        try (JavaProcess process = JavaProcess.builder(SignalAwareMain.class).start()) {
            process.awaitOutputContains(SignalAwareMain.READY, STARTUP);

            int exitCode = process.terminate();

            assertThat(exitCode).isEqualTo(143);
            assertThat(process.outputText()).contains(SignalAwareMain.HOOK_RAN);
        }
    }

    @Test
    void terminateReturnsTheCodeAShutdownHookHaltsWith() throws Exception {
        try (JavaProcess process = JavaProcess.builder(SignalAwareMain.class)
                .systemProperty(SignalAwareMain.HALT_CODE_PROPERTY, "7")
                .start()) {
            process.awaitOutputContains(SignalAwareMain.READY, STARTUP);

            assertThat(process.terminate()).isEqualTo(7);
        }
    }

    @Test
    void killSendsSigkillSoShutdownHooksDoNotRun() throws Exception {
        try (JavaProcess process = JavaProcess.builder(SignalAwareMain.class).start()) {
            process.awaitOutputContains(SignalAwareMain.READY, STARTUP);

            int exitCode = process.kill();

            assertThat(exitCode).isEqualTo(137);
            assertThat(process.isAlive()).isFalse();
            assertThat(process.outputText()).doesNotContain(SignalAwareMain.HOOK_RAN);
        }
    }

    @Test
    void awaitExitReturnsTheCodeTheMainExitsWith() throws Exception {
        try (JavaProcess process = JavaProcess.builder(SignalAwareMain.class).args("exit", "3").start()) {
            assertThat(process.awaitExit(STARTUP)).isEqualTo(3);
        }
    }

    @Test
    void awaitOutputContainsFailsAsSoonAsTheProcessExitsWithoutPrintingIt() throws Exception {
        try (JavaProcess process = JavaProcess.builder(SignalAwareMain.class).args("exit", "4").start()) {
            assertThatThrownBy(() -> process.awaitOutputContains("never printed", Duration.ofMinutes(5)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("exited with 4")
                    .hasMessageContaining("args=[exit, 4]");
        }
    }

    @Test
    void awaitOutputContainsFailsAtItsDeadline() throws Exception {
        try (JavaProcess process = JavaProcess.builder(SignalAwareMain.class).start()) {
            process.awaitOutputContains(SignalAwareMain.READY, STARTUP);

            assertThatThrownBy(() -> process.awaitOutputContains("never printed", Duration.ofMillis(200)))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("did not print 'never printed' within PT0.2S");
            assertThat(process.isAlive()).isTrue();
        }
    }

    @Test
    void closeKillsAProcessStillAlive() throws Exception {
        JavaProcess process = JavaProcess.builder(SignalAwareMain.class).start();
        process.awaitOutputContains(SignalAwareMain.READY, STARTUP);

        process.close();

        assertThat(process.isAlive()).isFalse();
        assertThat(ProcessHandle.of(process.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    }
}
