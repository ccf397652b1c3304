package dev.vitals.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
            Process process;
            try {
                process = new ProcessBuilder("promtool", "check", "metrics")
                        .redirectInput(input.toFile()).redirectErrorStream(true).start();
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
                throw new AssertionError("promtool check metrics failed (exit " + process.exitValue() + "):\n" + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(input);
        }
    }
}
