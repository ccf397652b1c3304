package dev.vitals.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.vitals.api.Api;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.testing.RabbitMqExtension;
import dev.vitals.worker.Worker;
import dev.vitals.worker.WorkerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A short comparison against a real API and worker on a real broker, without the peer. */
class CompareBenchTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension apis = ApiExtension.on(rabbit).startedByTests();

    @TempDir
    Path noPeer;

    @Test
    void measuresVitalsAndSaysThatThePeerIsAbsent() throws Exception {
        Api api = apis.start(Map.of());
        try (Worker worker = Worker.start(WorkerConfig.from(ConfigFactory.parseMap(Map.of(
                     "vitals.broker.uri", rabbit.uri().toString(),
                     "vitals.worker.id", "compare-worker",
                     "vitals.worker.health.port", 0,
                     "vitals.worker.cpu.sample-interval", "200ms"))
                     .withFallback(ConfigFactory.defaultReference()).resolve(), "compare-host"),
                     Clock.systemUTC(), () -> true)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int status = CompareBench.run(List.of("--vitals", "http://127.0.0.1:" + api.port(), "--peer",
                    noPeer.toString(), "--warmup", "1", "--duration", "1", "--count", "10", "--clients", "4"),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            String said = out.toString(StandardCharsets.UTF_8);
            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(said).contains("the peer is absent (no executable start.sh and stop.sh in " + noPeer);
            assertThat(said).contains("compare: Vitals one client: e2e, 1 client(s)").contains("10 ok, 0 errors");
            // Vitals' throughput is a figure; the peer's and the ratio to it are not measured
            assertThat(said).containsPattern(Pattern.compile(
                    "\\| throughput, 64 clients, 2 workers \\(checks/s\\) \\| – \\| [0-9,]+ \\| – \\| .* \\| not measured \\|"));
            assertThat(said).containsPattern("\\| one client, e2e p99 \\(ms\\) \\| – \\| [0-9.]+ \\| [0-9.]+ \\|");
        }
    }

    @Test
    void badOptionsAreRefusedWithTheUsage() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = CompareBench.run(List.of("--warmup", "x"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--warmup must be a whole number from 0 to 600, got 'x'")
                .contains("usage: vitals bench compare");
    }

    @Test
    void helpPrintsTheUsageAndStartsNothing() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = CompareBench.run(List.of("--help"), new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);

        assertThat(status).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("usage: vitals bench compare");
    }

    @Test
    void aVitalsThatDoesNotAnswerEndsTheComparisonWithTheReason() throws Exception {
        int port = dev.vitals.testing.FreePorts.freePort();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = CompareBench.run(List.of("--vitals", "http://127.0.0.1:" + port, "--peer", noPeer.toString(),
                "--warmup", "0", "--duration", "1", "--clients", "2"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no check completed at http://127.0.0.1:" + port)
                .contains("ConnectException=2");
    }
}
