package dev.vitals.bench.jmh;

import dev.vitals.model.task.Target;
import dev.vitals.api.store.Database;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.store.StoredTask;
import dev.vitals.model.task.TaskMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the API's store does for every health check, on the embedded database the API uses by default (a
 * file in a temporary directory, the schema as migrated): the task stored when it is submitted, then
 * completed with its worker's report. {@code bin/vitals jmh StoreBenchmarks} runs it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class StoreBenchmarks {

    private static final String REQUEST = "{\"checks\": [\"cpu\", \"memory\", \"disk\", \"load\", \"threads\"]}";
    /** A report of the size a worker publishes (about 1.3 KB). */
    private static final String REPORT = "{\"task_id\":\"5f0c8a2e-3b1d-4c6e-9f7a-1d2e3f4a5b6c\","
            + "\"worker_id\":\"bench-host-1a2b\",\"hostname\":\"bench-host\",\"status\":\"healthy\","
            + "\"timestamp\":\"2026-11-22T10:15:30.456Z\",\"sampled_at\":\"2026-11-22T10:15:30.455Z\","
            + "\"uptime_seconds\":123456,\"checks\":{"
            + "\"cpu\":{\"status\":\"healthy\",\"value\":12.5,\"unit\":\"percent\",\"thresholds\":{\"warning\":80,\"error\":95}},"
            + "\"memory\":{\"status\":\"healthy\",\"value\":41.2,\"unit\":\"percent\",\"total_bytes\":25769803776,"
            + "\"used_bytes\":10617159680,\"thresholds\":{\"warning\":85,\"error\":95}},"
            + "\"disk\":{\"status\":\"healthy\",\"value\":63.0,\"unit\":\"percent\",\"mounts\":[{\"mount\":\"/\","
            + "\"total_bytes\":107374182400,\"used_bytes\":67645734912,\"percent\":63.0}],"
            + "\"thresholds\":{\"warning\":80,\"error\":90}},"
            + "\"load\":{\"status\":\"healthy\",\"value\":0.42,\"unit\":\"per_core\",\"load_1m\":0.84,"
            + "\"load_5m\":0.61,\"load_15m\":0.55,\"cores\":2,\"thresholds\":{\"warning\":1.5,\"error\":3}},"
            + "\"threads\":{\"status\":\"healthy\",\"value\":812,\"unit\":\"threads\",\"thresholds\":"
            + "{\"warning\":5000,\"error\":10000}}}}";

    private Path directory;
    private Database database;
    private JdbcTaskStore store;

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("vitals-store-bench");
        database = Database.open("jdbc:h2:file:" + directory.resolve("vitals")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        store = new JdbcTaskStore(database.dataSource());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        database.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** One check's store work: its task inserted when submitted, then completed by its worker's report. */
    @Benchmark
    public Optional<StoredTask> submitAndComplete() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        StoredTask task = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ANY, REQUEST, now,
                now.plusSeconds(30), List.of());
        store.insert(task);
        return store.completeByWorker(task.taskId(), "bench-host-1a2b", now, now.plusMillis(2), REPORT);
    }
}
