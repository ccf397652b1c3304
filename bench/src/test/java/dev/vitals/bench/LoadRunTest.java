package dev.vitals.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import dev.vitals.api.Api;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.RabbitMqExtension;
import dev.vitals.worker.Worker;
import dev.vitals.worker.WorkerConfig;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The load tool against a real API and worker on a real broker: each mode completes its requests. */
class LoadRunTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension apis = ApiExtension.on(rabbit).startedByTests();

    @Test
    void everyModeDrivesTheApiAndCountsWhatCameBack() throws Exception {
        Api api = apis.start(Map.of());
        try (Worker worker = Worker.start(WorkerConfig.from(ConfigFactory.parseMap(Map.of(
                     "vitals.broker.uri", rabbit.uri().toString(),
                     "vitals.worker.id", "bench-worker",
                     "vitals.worker.health.port", 0,
                     "vitals.worker.cpu.sample-interval", "200ms"))
                     .withFallback(ConfigFactory.defaultReference()).resolve(), "bench-host"),
                     Clock.systemUTC(), () -> true)) {
            URI base = URI.create("http://127.0.0.1:" + api.port());

            LoadResult e2e = run(base, "e2e", "--count", "20", "--clients", "2");
            LoadResult throughput = run(base, "throughput", "--duration", "2", "--clients", "4");
            LoadResult get = run(base, "get", "--duration", "1", "--clients", "4");
            LoadResult warmedUp = run(base, "e2e", "--count", "7", "--warmup", "1");
            // as an API without ?wait is driven: POST, then GET every 2 ms until the task is terminal
            LoadResult polled = run(base, "e2e", "--count", "12", "--clients", "3", "--poll-interval", "2");
            LoadResult polledThroughput = run(base, "throughput", "--duration", "1", "--clients", "4",
                    "--poll-interval", "2");

            assertThat(e2e.errors()).isZero();
            assertThat(e2e.latency().getTotalCount()).isEqualTo(20);
            assertThat(throughput.errors()).isZero();
            assertThat(throughput.latency().getTotalCount()).isPositive();
            assertThat(get.errors()).isZero();
            assertThat(get.toolCpu()).isPositive();
            assertThat(get.latency().getTotalCount()).isGreaterThan(throughput.latency().getTotalCount());
            // A second of warm-up sends far more than seven checks; none of them is counted.
            assertThat(warmedUp.errors()).isZero();
            assertThat(warmedUp.latency().getTotalCount()).isEqualTo(7);
            assertThat(polled.errors()).isZero();
            assertThat(polled.latency().getTotalCount()).isEqualTo(12);
            assertThat(polledThroughput.errors()).isZero();
            assertThat(polledThroughput.successes()).isPositive();
        }
    }

    @Test
    void anApiThatIsNotThereIsOneErrorPerClient() throws Exception {
        int port = FreePorts.freePort();
        LoadResult result = run(URI.create("http://127.0.0.1:" + port), "throughput", "--duration", "1",
                "--clients", "3");

        assertThat(result.successes()).isZero();
        assertThat(result.errorsByKind()).containsExactly(Map.entry("ConnectException", 3L));
    }

    @Test
    void refusedRequestsAreCountedAsErrorsByKind() throws Exception {
        Api api = apis.start(Map.of("vitals.api.tokens", "secret"));

        LoadResult result = run(URI.create("http://127.0.0.1:" + api.port()), "e2e", "--count", "5");

        assertThat(result.errors()).isEqualTo(5);
        assertThat(result.errorsByKind()).containsEntry("HTTP 401", 5L);
    }

    @Test
    void aPolledCheckThatFailsIsAnErrorByItsStatus() throws Exception {
        Api api = apis.start(Map.of("vitals.api.tasks.default-timeout", "1s",
                "vitals.api.tasks.sweep-interval", "100ms"));
        // no worker: a task that may wait 1 s for one expires, and polling sees it expired
        LoadResult result = run(URI.create("http://127.0.0.1:" + api.port()), "e2e", "--count", "1",
                "--poll-interval", "50");

        assertThat(result.successes()).isZero();
        assertThat(result.errorsByKind()).containsEntry("task expired", 1L);
    }

    private static LoadResult run(URI api, String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--api", api.toString()));
        try (LoadRun run = new LoadRun(LoadOptions.parse(all, null))) {
            return run.run();
        }
    }
}
