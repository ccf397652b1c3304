package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/vitals} commands as separate processes, the way a user starts them. */
final class Launcher implements AutoCloseable {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Path LOGS = Path.of("target", "processes");

    private final List<Process> started = new ArrayList<>();

    /** A running {@code bin/vitals} command, with its log file. */
    record Command(Process process, Path log) {
        String logText() throws IOException {
            return Files.readString(log);
        }

        /** Sends SIGKILL, as a crash would, and waits for the process to go. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        /** Sends SIGTERM and returns the exit code. */
        int terminate(Duration timeout) throws InterruptedException {
            process.destroy();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("did not stop within " + timeout + " of SIGTERM");
            }
            return process.exitValue();
        }
    }

    /**
     * The environment of a {@code bin/vitals up} of a test's own: its broker, the API's port, the workers' first
     * {@code /health} port (the second is the next one), its logs and an embedded store under {@code data}. Mutable:
     * tests add their own settings.
     */
    static Map<String, String> upEnvironment(URI broker, int apiPort, int healthPort, Path data) {
        Map<String, String> env = new HashMap<>();
        env.put("RABBITMQ_URI", broker.toString());
        env.put("VITALS_API_PORT", Integer.toString(apiPort));
        env.put("HEALTH_PORT", Integer.toString(healthPort));
        env.put("VITALS_LOG_DIR", data.resolve("logs").toString());
        env.put("VITALS_DB_URL", "jdbc:h2:file:" + data.resolve("vitals")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        return env;
    }

    Command start(String logName, Map<String, String> env, String... args) throws IOException {
        for (String module : List.of("worker/target/lib/vitals-worker.jar", "client-api/target/lib/vitals-api.jar")) {
            assertThat(ROOT.resolve(module)).as("packaged module; run mvn verify, not mvn test").exists();
        }
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(logName + ".log");
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("bin/vitals").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return new Command(process, log);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : started) {
            process.destroy();
        }
        for (Process process : started) {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
