package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.RabbitMqExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/vitals up} as a user runs it, on a vhost of this class's own: it shows why its processes are not ready,
 * says when they are, declares the schedule {@code fleet}, and does not stay up when one of them dies.
 */
class UpTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final List<String> PROCESSES = List.of("api", "worker-1", "worker-2");

    @TempDir
    Path data;

    /** Two free ports in a row, for the two workers' /health. */
    static int twoFreePorts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = FreePorts.freePort();
            try (ServerSocket second = new ServerSocket()) {
                second.bind(new InetSocketAddress(first + 1));
                return first;
            } catch (IOException taken) {
                // try another pair
            }
        }
        throw new IllegalStateException("no two free ports in a row");
    }

    private Map<String, String> environment(int apiPort, int healthPort) {
        Map<String, String> env = Launcher.upEnvironment(rabbit.uri(), apiPort, healthPort, data);
        env.put("JAVA_OPTS", "-Dvitals.broker.reconnect-interval=100ms -Dvitals.broker.max-reconnect-interval=1s");
        return env;
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static HttpResponse<String> ready(int port) {
        return Rig.get("http://127.0.0.1:" + port + "/health/ready");
    }

    @Test
    void aConflictingTaskQueueIsShownForEveryProcessUntilItIsDeletedThenAllAreReadyAndACheckCompletes()
            throws Exception {
        try (Connection connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDelete("maintenance_tasks"); // any made by the other test of this class
            channel.queueDeclare("maintenance_tasks", true, false, false, Map.of()); // as another application left it
        }
        String conflict = "queue 'maintenance_tasks' in vhost '" + rabbit.vhost() + "' exists with x-queue-type=classic;"
                + " Vitals declares x-queue-type=quorum. A queue's arguments cannot change: delete it once empty"
                + " (rabbitmqctl delete_queue -p " + rabbit.vhost() + " maintenance_tasks) or give Vitals another vhost";
        int apiPort = FreePorts.freePort();
        int healthPort = twoFreePorts();

        try (Launcher launcher = new Launcher()) {
            Launcher.Command up = launcher.start("up-conflict", environment(apiPort, healthPort), "up");

            await().atMost(STARTUP).untilAsserted(() -> {
                String said = up.logText();
                for (String process : PROCESSES) {
                    assertThat(said).as("up shows why %s is not ready", process)
                            .containsPattern("vitals: " + process + ": .* ERROR .*" + java.util.regex.Pattern.quote(conflict));
                }
            });
            for (String process : PROCESSES) {
                String log = Files.readString(data.resolve("logs").resolve(process + ".log"), StandardCharsets.UTF_8);
                assertThat(log).as("%s logs no stack trace", process).doesNotContain("\tat ");
                assertThat(log.lines().filter(line -> line.contains(conflict))).as("%s says it once", process).hasSize(1);
            }
            for (int port : List.of(apiPort, healthPort, healthPort + 1)) {
                HttpResponse<String> readiness = ready(port);
                assertThat(readiness.statusCode()).isEqualTo(503);
                assertThat(Rig.json(readiness).path("checks").path("broker").path("detail").asText()).isEqualTo(conflict);
            }
            assertThat(up.process().isAlive()).isTrue();

            try (Connection connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
                channel.queueDelete("maintenance_tasks");
            }

            await().atMost(STARTUP).until(() -> up.logText().contains("vitals: ready: the API on http://localhost:"
                    + apiPort + " and 2 workers"));
            for (int port : List.of(apiPort, healthPort, healthPort + 1)) {
                assertThat(ready(port).statusCode()).isEqualTo(200);
            }
            Process check = new ProcessBuilder(Launcher.ROOT.resolve("bin/vitals").toString(), "check", "--api",
                    "http://127.0.0.1:" + apiPort, "--json", "--timeout", "30").redirectErrorStream(true).start();
            String answer = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
            JsonNode task = Rig.JSON.readTree(answer.substring(answer.indexOf('{')));
            assertThat(task.path("status").asText()).as(answer).isEqualTo("completed");
            assertThat(check.exitValue()).as("0 healthy, 1 warning or error; 2 only if it could not be carried out: %s",
                    answer).isIn(0, 1);

            String api = "http://127.0.0.1:" + apiPort;
            JsonNode fleet = Rig.json(Rig.get(api + "/api/v1/schedules/fleet"));
            assertThat(fleet.path("source").asText()).as("up declares the schedule fleet: %s", fleet).isEqualTo("config");
            assertThat(fleet.path("target").asText()).isEqualTo("all");
            assertThat(fleet.path("interval_seconds").asInt()).isEqualTo(30);
            await().atMost(Duration.ofSeconds(30)).until(() -> Rig.json(Rig.get(api
                    + "/api/v1/health-checks?schedule=fleet")).path("tasks").size() > 0);

            assertThat(up.terminate(Duration.ofSeconds(30))).as(up.logText()).isZero();
        }
    }

    @Test
    void whenAWorkerDiesUpSaysWhichWhyAndWhereItsLogIsStopsTheOthersAndExitsOne() throws Exception {
        int apiPort = FreePorts.freePort();
        int healthPort = twoFreePorts();
        try (ServerSocket taken = new ServerSocket(healthPort + 1); Launcher launcher = new Launcher()) {
            Launcher.Command up = launcher.start("up-worker-dies", environment(apiPort, healthPort), "up");

            assertThat(up.process().waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).as("up exits").isTrue();

            assertThat(up.process().exitValue()).isEqualTo(1);
            String said = up.logText();
            assertThat(said).containsPattern("vitals: worker 2 \\(pid \\d+\\) exited with code 1: .*Cannot start: cannot"
                            + " listen on 0\\.0\\.0\\.0:" + (healthPort + 1) + " for /health .*set HEALTH_PORT")
                    .contains("vitals: its log: " + data.resolve("logs").resolve("worker-2.log"))
                    .contains("vitals: stopping the API and the workers");
            assertThat(answers(apiPort)).as("the API stopped with up").isFalse();
            assertThat(answers(healthPort)).as("worker 1 stopped with up").isFalse();
        }
    }
}
