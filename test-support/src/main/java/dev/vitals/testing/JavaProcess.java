package dev.vitals.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Java main class running as a separate operating-system process, for tests that send it SIGTERM or
 * SIGKILL. It runs on the same {@code java} and class path as the test, and its standard output and error
 * go together to a file under {@code target/}.
 *
 * <pre>{@code
 * try (JavaProcess worker = JavaProcess.builder(WorkerMain.class)
 *         .env("VITALS_BROKER_URI", rabbit.uri().toString())
 *         .outputFile("worker-sigterm.log")
 *         .start()) {
 *     worker.awaitOutputContains("consuming", Duration.ofSeconds(30));
 *     assertThat(worker.terminate()).isEqualTo(143);
 * }
 * }</pre>
 *
 * <p>Closing it kills the process, and any processes it started, if still alive.
 */
public final class JavaProcess implements AutoCloseable {

    /** How long {@link #terminate()} waits for the process to exit after SIGTERM. */
    public static final Duration DEFAULT_TERMINATE_TIMEOUT = Duration.ofSeconds(20);
    /** Where output files go, relative to the working directory (the module's, under Maven). */
    public static final Path OUTPUT_DIRECTORY = Path.of("target", "processes");

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final int OUTPUT_TAIL = 4_000;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Process process;
    private final Path outputFile;
    private final String mainClass;

    private JavaProcess(Process process, Path outputFile, String mainClass) {
        this.process = process;
        this.outputFile = outputFile;
        this.mainClass = mainClass;
    }

    /** Starts describing a process that runs {@code mainClass}'s {@code main}. */
    public static Builder builder(Class<?> mainClass) {
        return new Builder(mainClass.getName());
    }

    /** Starts describing a process that runs the {@code main} of the class named {@code mainClass}. */
    public static Builder builder(String mainClass) {
        return new Builder(mainClass);
    }

    /** The operating system's id of the process. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file the process's standard output and error go to. */
    public Path outputFile() {
        return outputFile;
    }

    /** Everything the process has printed so far, standard output and error interleaved. */
    public String outputText() {
        try {
            return new String(Files.readAllBytes(outputFile), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the process has printed {@code text}.
     *
     * @throws AssertionError when it has not within {@code timeout}, or exits without printing it; the
     *                        message holds the end of the output
     */
    public void awaitOutputContains(String text, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!outputText().contains(text)) {
            if (!process.isAlive()) {
                if (outputText().contains(text)) {
                    return;
                }
                throw new AssertionError(this + " exited with " + process.exitValue() + " without printing '"
                        + text + "'" + outputTail());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(this + " did not print '" + text + "' within " + timeout + outputTail());
            }
            process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Waits for the process to exit by itself.
     *
     * @return its exit code
     * @throws AssertionError when it is still running after {@code timeout}; it is left running
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(this + " did not exit within " + timeout + outputTail());
        }
        return process.exitValue();
    }

    /**
     * Sends SIGTERM and waits up to {@link #DEFAULT_TERMINATE_TIMEOUT} for the process to exit.
     *
     * @return its exit code: 143 when the JVM ended on the signal after running its shutdown hooks, or the
     *         code a hook passed to {@code Runtime.halt}
     * @throws AssertionError when it does not exit in time; it is then killed
     */
    public int terminate() throws InterruptedException {
        return terminate(DEFAULT_TERMINATE_TIMEOUT);
    }

    /**
     * Sends SIGTERM and waits up to {@code timeout} for the process to exit.
     *
     * @return its exit code, see {@link #terminate()}
     * @throws AssertionError when it does not exit in time; it is then killed
     */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError(this + " did not exit within " + timeout + " of SIGTERM, so it was killed"
                    + outputTail());
        }
        return process.exitValue();
    }

    /**
     * Sends SIGKILL, which no shutdown hook sees, and waits for the process to end.
     *
     * @return its exit code, 137 on Linux
     */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(this + " is still alive " + KILL_TIMEOUT + " after SIGKILL");
        }
        return process.exitValue();
    }

    /** Kills the process and the processes it started, if still alive. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "Process " + process.pid() + " (" + mainClass + ")";
    }

    private String outputTail() {
        String output = outputText();
        String tail = output.length() > OUTPUT_TAIL
                ? "..." + output.substring(output.length() - OUTPUT_TAIL)
                : output;
        return "; its output (" + outputFile + "):\n" + tail;
    }

    /** What to run, and how. */
    public static final class Builder {

        private final String mainClass;
        private final List<String> jvmArguments = new ArrayList<>();
        private final List<String> arguments = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private String outputFileName;

        private Builder(String mainClass) {
            this.mainClass = mainClass;
        }

        /** Appends arguments for {@code main}. */
        public Builder args(String... args) {
            arguments.addAll(List.of(args));
            return this;
        }

        /** Sets an environment variable, in addition to the test's own environment, which is inherited. */
        public Builder env(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Sets a system property ({@code -Dname=value}). */
        public Builder systemProperty(String name, String value) {
            systemProperties.put(name, value);
            return this;
        }

        /** Appends an option for the JVM itself, such as {@code -Xmx64m}. */
        public Builder jvmArg(String option) {
            jvmArguments.add(option);
            return this;
        }

        /**
         * Names the output file, under {@link #OUTPUT_DIRECTORY}; it is replaced if it exists. By default
         * it is named after the main class and a number.
         */
        public Builder outputFile(String name) {
            outputFileName = name;
            return this;
        }

        /** Starts the process; it runs until it exits, or is terminated, killed or closed. */
        public JavaProcess start() throws IOException {
            String simpleName = mainClass.substring(mainClass.lastIndexOf('.') + 1);
            Path output = OUTPUT_DIRECTORY.resolve(outputFileName != null
                    ? outputFileName
                    : simpleName + "-" + SEQUENCE.incrementAndGet() + ".log").toAbsolutePath();
            Files.createDirectories(output.getParent());

            List<String> command = new ArrayList<>();
            command.add(javaExecutable());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add("-Dstdout.encoding=UTF-8");
            command.add("-Dstderr.encoding=UTF-8");
            command.addAll(jvmArguments);
            systemProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
            command.add(mainClass);
            command.addAll(arguments);

            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            return new JavaProcess(process, output, mainClass);
        }

        private static String javaExecutable() {
            return ProcessHandle.current().info().command()
                    .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
    }
}
