package dev.vitals.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.model.HealthReport;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.StatusAggregator;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.model.task.TaskRequest;
import dev.vitals.worker.WorkerConfig;
import dev.vitals.worker.check.CheckObserver;
import dev.vitals.worker.check.HealthCheck;
import dev.vitals.worker.collect.CpuSampler;
import dev.vitals.worker.collect.MachineCollectors;
import dev.vitals.worker.collect.UptimeReader;
import dev.vitals.worker.messaging.TaskParser;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
import oshi.SystemInfo;

/**
 * The pieces every check goes through: one full collection of this machine, grading, the report's JSON
 * encoding and the task message's decoding. {@code bin/vitals jmh} runs them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmarks {

    private static final byte[] TASK_MESSAGE = """
            {"task_id": "5f0c8a2e-3b1d-4c6e-9f7a-1d2e3f4a5b6c", "task_type": "health_check",
             "created_at": "2026-11-22T10:15:30.123Z",
             "payload": {"checks": ["cpu", "disk"], "thresholds": {"disk": {"warning": 70, "error": 85}}}}
            """.getBytes(StandardCharsets.UTF_8);

    private CpuSampler sampler;
    private HealthCheck healthCheck;
    private HealthReport report;
    private ObjectMapper json;
    private TaskParser parser;
    private UUID taskId;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        SystemInfo system = new SystemInfo();
        sampler = new CpuSampler(system.getHardware().getProcessor(), Duration.ofSeconds(1), Clock.systemUTC());
        sampler.start();
        sampler.awaitWindow(Duration.ofSeconds(5));
        healthCheck = new HealthCheck(MachineCollectors.forThisMachine(system, sampler, List.of()),
                WorkerConfig.defaultThresholds(),
                "bench-worker", "bench-host", Clock.systemUTC(), new UptimeReader(system.getOperatingSystem())::uptime,
                Duration.ZERO, CheckObserver.NONE);
        taskId = UUID.randomUUID();
        report = healthCheck.run(taskId, TaskRequest.DEFAULT);
        json = VitalsJson.newMapper();
        parser = new TaskParser(json);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sampler.close();
    }

    /** Measures and grades all five checks, as a task without a payload asks. */
    @Benchmark
    public HealthReport fullCollection() {
        return healthCheck.run(taskId, TaskRequest.DEFAULT);
    }

    /** Grades five measured values and takes the worst. */
    @Benchmark
    public HealthStatus grading() {
        return StatusAggregator.ofChecks(report.checks().values().stream()
                .map(result -> result.threshold() == null ? result.status()
                        : result.threshold().grade(result.measurement().gradedValue()))
                .toList());
    }

    /** The report as the bytes published on vitals.events. */
    @Benchmark
    public byte[] reportEncoding() throws Exception {
        return json.writeValueAsBytes(report);
    }

    /** A task message from the queue to a validated task. */
    @Benchmark
    public TaskParser.Parsed taskDecoding() {
        return parser.parse(TASK_MESSAGE, null);
    }
}
