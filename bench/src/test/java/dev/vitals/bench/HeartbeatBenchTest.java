package dev.vitals.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The heartbeat load against a real API on a real broker: the simulated workers land in its registry. */
class HeartbeatBenchTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit);

    @Test
    void simulatedWorkersAreStoredAsWorkersAndTheCostOfTheGivenProcessIsPrinted() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long self = ProcessHandle.current().pid();

        int exit = HeartbeatBench.run(List.of("--broker", rabbit.uri().toString(), "--workers", "20", "--interval", "1",
                "--duration", "5", "--pid", Long.toString(self)), new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).isZero();
        assertThat(printed).contains("20 simulated workers every 1 s").contains("pid " + self + ":");
        await().atMost(Duration.ofSeconds(10)).until(() -> benchWorkers() == 20);
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(HeartbeatBench.run(List.of("--workers", "0"), System.out, errors)).isEqualTo(2);
        assertThat(HeartbeatBench.run(List.of("--interval", "x"), System.out, errors)).isEqualTo(2);
        assertThat(HeartbeatBench.run(List.of("--duration"), System.out, errors)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--workers must be 1 to 100000, got 0")
                .contains("--interval must be a whole number, got 'x'").contains("--duration needs a value");
    }

    private static long benchWorkers() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(api.url() + "/api/v1/workers")).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode workers = new ObjectMapper().readTree(response.body()).path("workers");
        return StreamSupport.stream(workers.spliterator(), false)
                .filter(worker -> worker.path("worker_id").asText().startsWith("bench-heartbeat-")
                        && worker.path("alive").asBoolean())
                .count();
    }
}
