package dev.vitals.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs Prometheus's {@code promtool check metrics} on an exposition, the check Prometheus users rely on.
 * Without promtool the calling test fails and says how to install it; it is never skipped.
 */
public final class Promtool {

    private Promtool() {
    }

    /**
     * @return what promtool printed, empty when the exposition passes
     * @throws AssertionError when promtool is missing or finds problems
     */
    public static String checkMetrics(String exposition) throws IOException, InterruptedException {
        Path input = Files.createTempFile("vitals-metrics", ".txt");
        try {
            Files.writeString(input, exposition, StandardCharsets.UTF_8);
            return run(input, "check", "metrics");
        } finally {
            Files.deleteIfExists(input);
        }
    }

    /**
     * Runs {@code promtool check config} on a Prometheus configuration file.
     *
     * @throws AssertionError when promtool is missing or refuses the file
     */
    public static String checkConfig(Path config) throws IOException, InterruptedException {
        return run(null, "check", "config", config.toString());
    }

    private static String run(@Nullable Path input, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (input != null) {
            builder.redirectInput(input.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("promtool is not installed; it comes with Debian's prometheus package: "
                    + "apt-get install --no-install-recommends prometheus (.ci/run installs it)", e);
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("promtool did not finish within 30 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + output);
        }
        return output;
    }
}
