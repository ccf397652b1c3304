package dev.vitals.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of a test's own, in a directory under {@code /tmp}, on a free port of 127.0.0.1 with trust
 * authentication, so that a test can stop and restart it without touching the machine's own server. Made with the
 * installed server's {@code initdb} and {@code pg_ctl}, run as the user {@code postgres} when the test runs as root
 * (PostgreSQL refuses to run as root).
 */
public final class PostgresServer implements AutoCloseable {

    private static final Path INSTALLATIONS = Path.of("/usr/lib/postgresql");

    private final Path bin;
    private final Path root;
    private final int port;

    private PostgresServer(Path bin, Path root, int port) {
        this.bin = bin;
        this.root = root;
        this.port = port;
    }

    /**
     * Makes and starts a server.
     *
     * @throws IllegalStateException when no PostgreSQL server is installed, or it does not start, saying what to do
     */
    public static PostgresServer start() {
        Path bin = newestInstallation().orElseThrow(() -> new IllegalStateException("These tests start a PostgreSQL"
                + " server of their own, and no server is installed under " + INSTALLATIONS + ": apt-get install"
                + " postgresql (.ci/run does)"));
        try {
            Path root = Files.createTempDirectory(Path.of("/tmp"), "vitals-pg-");
            PostgresServer server = new PostgresServer(bin, root, FreePorts.freePort());
            SystemUsers.giveTo("postgres", root);
            server.run(bin.resolve("initdb").toString(), "-D", server.data().toString(), "-U", "postgres",
                    "--auth=trust", "--no-sync", "-E", "UTF8");
            server.startServer();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> newestInstallation() {
        try (Stream<Path> versions = Files.list(INSTALLATIONS)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(candidate -> Files.isExecutable(candidate.resolve("pg_ctl")))
                    .max(Comparator.comparing(candidate -> Integer.parseInt(
                            candidate.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** JDBC URL of the database {@code postgres} on this server. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** Stops the server ({@code pg_ctl stop -m fast}: open connections are cut, as a restart cuts them). */
    public void stop() {
        run(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop");
    }

    /** Starts the stopped server again on the same port, with its data. */
    public void startServer() {
        run(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", root.resolve("server.log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + root + " -c listen_addresses=127.0.0.1"
                        + " -c fsync=on", "start");
    }

    private Path data() {
        return root.resolve("data");
    }

    /** Runs a PostgreSQL command as {@code postgres} (when this is root), failing with what it said. */
    private void run(String... command) {
        List<String> line = new ArrayList<>();
        if (SystemUsers.isRoot()) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(line).directory(root.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", line) + "' failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops the server and deletes its directory. */
    @Override
    public void close() {
        try {
            stop();
        } catch (RuntimeException e) {
            // already stopped
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a temporary directory left behind is no failure of the test
        }
    }
}
