package dev.vitals.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.model.ExitCode;
import dev.vitals.model.HealthStatus;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.RabbitMqExtension;
import dev.vitals.worker.Worker;
import dev.vitals.worker.WorkerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code vitals check} against a real API and worker on a real RabbitMQ. */
class CheckCommandTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit);

    private static Worker worker;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        var config = ConfigFactory.parseMap(Map.of(
                        "vitals.broker.uri", rabbit.uri().toString(),
                        "vitals.worker.id", "cli-worker",
                        "vitals.worker.health.port", 0,
                        "vitals.worker.cpu.sample-interval", "200ms"))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        worker = Worker.start(WorkerConfig.from(config, "cli-host"), Clock.systemUTC(), () -> false);
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
    }

    private int check(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--api", "http://127.0.0.1:" + api.port()));
        all.addAll(List.of(args));
        return CheckCommand.run(all, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static int tasks() throws Exception {
        return new ObjectMapper().readTree(api.http().get("/api/v1/health-checks?limit=1000").body()).path("tasks").size();
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonPrintsTheCompletedTaskAndExitsWithItsStatus() throws Exception {
        int exitCode = check("--json", "--timeout", "20");

        JsonNode task = new ObjectMapper().readTree(out());
        assertThat(task.path("status").asText()).isEqualTo("completed");
        assertThat(task.path("result").path("worker_id").asText()).isEqualTo("cli-worker");
        HealthStatus status = HealthStatus.valueOf(task.path("result").path("status").asText().toUpperCase());
        assertThat(exitCode).isEqualTo(ExitCode.of(status).code());
    }

    @Test
    void tablePrintsTheReport() {
        int exitCode = check("--timeout", "20");

        assertThat(out()).startsWith("cli-worker on cli-host: ").contains("CHECK", "disk", "threads");
        assertThat(exitCode).isIn(0, 1);
    }

    @Test
    void nagiosPrintsOneLineWithPerfdata() {
        int exitCode = check("--nagios", "--target", "cli-worker", "--timeout", "20");

        assertThat(out().lines()).hasSize(1);
        assertThat(out()).matches("VITALS (OK|WARNING|CRITICAL) - .+ \\| cpu=[0-9.]+%;90;95;0;100 memory=.*threads=[0-9]+;10000;30000;0;\\n");
        assertThat(exitCode).isIn(0, 1, 2);
    }

    @Test
    void quietPrintsNothing() {
        int exitCode = check("--quiet", "--timeout", "20");

        assertThat(out()).isEmpty();
        assertThat(exitCode).isIn(0, 1);
    }

    @Test
    void aPostWhoseAnswerIsLostIsRetriedWithTheSameKeyAndMakesOneTask() throws Exception {
        try (AnswerDroppingProxy proxy = new AnswerDroppingProxy(api.url(), 1)) {
            int before = tasks();
            int exitCode = CheckCommand.run(List.of("--api", proxy.url(), "--json", "--timeout", "20"), Map.of(),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

            assertThat(exitCode).as(err.toString(StandardCharsets.UTF_8)).isIn(0, 1);
            assertThat(proxy.postedKeys).hasSize(2);
            assertThat(proxy.postedKeys.get(0)).matches("\"[0-9a-f-]{36}\"").isEqualTo(proxy.postedKeys.get(1));
            assertThat(tasks() - before).as("tasks made").isEqualTo(1);
            assertThat(new ObjectMapper().readTree(out()).path("status").asText()).isEqualTo("completed");
        }
    }

    @Test
    void unreachableApiExitsTwoWithAClearMessage() throws Exception {
        int closedPort = FreePorts.freePort();
        int exitCode = CheckCommand.run(List.of("--api", "http://127.0.0.1:" + closedPort, "--timeout", "3"), Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exitCode).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("cannot reach the API at http://127.0.0.1:" + closedPort);
    }

    @Test
    void unreachableApiIsUnknownForNagios() throws Exception {
        int closedPort = FreePorts.freePort();
        int exitCode = CheckCommand.run(List.of("--api", "http://127.0.0.1:" + closedPort, "--nagios"), Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exitCode).isEqualTo(3);
        assertThat(out()).startsWith("VITALS UNKNOWN - cannot reach the API");
    }

    @Test
    void targetAllReportsEveryLiveWorker() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(20)).until(() -> http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + api.port() + "/api/v1/workers")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body().contains("cli-worker"));

        int exitCode = check("--target", "all", "--json", "--timeout", "20");

        JsonNode result = new ObjectMapper().readTree(out()).path("result");
        assertThat(result.path("reports")).hasSize(1);
        assertThat(result.path("reports").get(0).path("worker_id").asText()).isEqualTo("cli-worker");
        assertThat(exitCode).isIn(0, 1);
    }

    @Test
    void targetAllPrintsOneLinePerWorker() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(20)).until(() -> http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + api.port() + "/api/v1/workers")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body().contains("cli-worker"));

        int exitCode = check("--target", "all", "--timeout", "20");

        assertThat(out().lines()).hasSize(2);
        assertThat(out().lines().toList().get(0)).matches("(HEALTHY|WARNING|ERROR): 1 worker\\(s\\) reported");
        assertThat(out().lines().toList().get(1)).startsWith("cli-worker on cli-host: ");
        assertThat(exitCode).isIn(0, 1);
    }

    @Test
    void badOptionExitsTwoWithUsage() {
        assertThat(check("--timeout", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--timeout must be whole seconds", "usage: vitals check");
    }

    @Test
    void helpExitsZero() {
        assertThat(check("--help")).isZero();
        assertThat(out()).contains("--nagios");
    }
}
