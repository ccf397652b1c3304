package dev.vitals.bench.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The processes of one system started for a comparison: their pids by role, and how to stop them.
 *
 * @param api     the pids that serve HTTP (Vitals' API; the peer's uvicorn)
 * @param workers one list of pids per worker (a Celery worker is its main process and its pool's children)
 * @param store   pids of a store outside the API (the peer's redis-server), counted with the API and workers
 */
record Started(List<Long> api, List<List<Long>> workers, List<Long> store, AutoCloseable stop) implements AutoCloseable {

    private static final Pattern WORKER_STARTED = Pattern.compile("^vitals: worker \\d+ started \\(pid (\\d+),");
    private static final Pattern API_STARTED = Pattern.compile("^vitals: API started \\(pid (\\d+),");
    static final String READY = "vitals: ready:";

    @Override
    public void close() throws Exception {
        stop.close();
    }

    List<Long> apiAndWorkers() {
        List<Long> all = new ArrayList<>(api);
        workers.forEach(all::addAll);
        all.addAll(store);
        return all;
    }

    /** The worker's pid in a line of {@code bin/vitals up}, if it announces one. */
    static OptionalLong workerPid(String line) {
        Matcher m = WORKER_STARTED.matcher(line);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** The API's pid in a line of {@code bin/vitals up}, if it announces it. */
    static OptionalLong apiPid(String line) {
        Matcher m = API_STARTED.matcher(line);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /**
     * Runs {@code bin/vitals up} with the environment given and returns once it says ready (its output goes to
     * {@code log}); fails with the log's tail when it exits first or is not ready within {@code timeout}.
     */
    static Started vitalsUp(Path root, Map<String, String> environment, Path log, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("bin/vitals").toString(), "up")
                .directory(root.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process up = builder.start();
        List<Long> api = new ArrayList<>();
        List<List<Long>> workers = new ArrayList<>();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("vitals-up-output").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(up.getInputStream(),
                    StandardCharsets.UTF_8)); var out = Files.newBufferedWriter(log)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    out.write(line);
                    out.newLine();
                    out.flush();
                    synchronized (api) {
                        workerPid(line).ifPresent(pid -> workers.add(List.of(pid)));
                        apiPid(line).ifPresent(api::add);
                    }
                    if (line.startsWith(READY)) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IOException("bin/vitals up ended before it was ready"));
        });
        AutoCloseable stop = () -> {
            up.destroy(); // SIGTERM: up stops the API and the workers and waits for them
            if (!up.waitFor(60, TimeUnit.SECONDS)) {
                up.destroyForcibly();
            }
        };
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            closeQuietly(stop);
            throw new IOException("Vitals did not start (see " + log + "): " + tail(log), e);
        }
        synchronized (api) {
            return new Started(List.copyOf(api), List.copyOf(workers), List.of(), stop);
        }
    }

    /**
     * Runs the peer's {@code start.sh} with the environment given (its output goes to {@code log}); reads its
     * pids from the files it writes under {@code PEER_RUN_DIR}. Closing runs its {@code stop.sh}.
     */
    static Started peer(Path dir, Map<String, String> environment, Path runDir, Path log, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder start = new ProcessBuilder(dir.resolve("start.sh").toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        start.environment().putAll(environment);
        AutoCloseable stop = () -> {
            ProcessBuilder stopping = new ProcessBuilder(dir.resolve("stop.sh").toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            stopping.environment().putAll(environment);
            stopping.start().waitFor(60, TimeUnit.SECONDS);
        };
        Process started = start.start();
        boolean ended = started.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended || started.exitValue() != 0) {
            if (!ended) {
                started.destroyForcibly();
            }
            closeQuietly(stop);
            throw new IOException("the peer did not start (see " + log + "): " + tail(log));
        }
        long celery = pidFile(runDir.resolve("celery.pid"));
        List<Long> celeryGroup = new ArrayList<>(List.of(celery));
        celeryGroup.addAll(ProcStats.system().children(celery));
        long uvicorn = pidFile(runDir.resolve("uvicorn.pid"));
        List<Long> api = new ArrayList<>(List.of(uvicorn));
        api.addAll(ProcStats.system().children(uvicorn));
        return new Started(api, List.of(celeryGroup), List.of(pidFile(runDir.resolve("redis.pid"))), stop);
    }

    private static long pidFile(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void closeQuietly(AutoCloseable stop) {
        try {
            stop.close();
        } catch (Exception e) {
            // already failing; the caller reports the cause
        }
    }
}
