package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.RabbitMqExtension;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thirty workers on one machine, each a {@code bin/vitals worker} process as a user starts it: the registry lists
 * them all, a task for {@code all} completes with thirty reports within 3 s, and once one is killed the next
 * {@code all} names it in {@code missing_workers}. Prints what the thirty cost idle (resident memory and CPU), for
 * README's sizing section.
 */
@Tag("faults")
@Timeout(value = 10, unit = TimeUnit.MINUTES) // thirty JVMs start on a machine of two cores
class ManyWorkersTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit);

    private static final int WORKERS = 30;
    private static final Duration IDLE = Duration.ofSeconds(20);

    @Test
    void thirtyWorkersReportToAllAndAKilledOneIsNamedMissing(@TempDir Path logs) throws Exception {
        try (Launcher launcher = new Launcher()) {
            List<Launcher.Command> workers = new ArrayList<>();
            for (int i = 1; i <= WORKERS; i++) {
                workers.add(launcher.start("many-w" + i, Map.of(
                        "RABBITMQ_URI", rabbit.uri().toString(),
                        "VITALS_WORKER_ID", "many-w" + i,
                        "HEALTH_PORT", Integer.toString(FreePorts.freePort()),
                        "VITALS_LOG_DIR", logs.toString()), "worker"));
            }
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> liveWorkers().size() == WORKERS);

            JsonNode warmUp = all(10);
            assertThat(warmUp.path("status").asText()).as("first task for all: %s", warmUp).isEqualTo("completed");
            long started = System.nanoTime();
            HttpResponse<String> timed = Rig.post(api.url() + "/api/v1/health-checks?wait=3", "{\"target\": \"all\"}");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            JsonNode task = Rig.json(timed);
            assertThat(timed.statusCode()).as("a task for all ended within 3 s (took %d ms): %s", took.toMillis(), task)
                    .isEqualTo(200);
            assertThat(task.path("result").path("reports")).hasSize(WORKERS);
            assertThat(task.path("result").path("missing_workers")).isEmpty();

            Thread.sleep(5_000);
            long[] before = cpuTicks(workers);
            Thread.sleep(IDLE.toMillis());
            long[] after = cpuTicks(workers);
            long rssKb = 0;
            long idleTicks = 0;
            for (int i = 0; i < WORKERS; i++) {
                rssKb += rssKb(workers.get(i).process().pid());
                idleTicks += after[i] - before[i];
            }
            System.out.printf("%d workers idle: resident %.1f MB in all, %.1f MB each; CPU %.2f %% of one core in"
                            + " all over %d s (%.3f %% each); one task for all took %d ms%n", WORKERS,
                    rssKb / 1024.0, rssKb / 1024.0 / WORKERS, idleTicks / 100.0 / IDLE.toSeconds() * 100,
                    IDLE.toSeconds(), idleTicks / 100.0 / IDLE.toSeconds() * 100 / WORKERS, took.toMillis());

            workers.getLast().kill();
            JsonNode afterKill = all(5);
            assertThat(afterKill.path("status").asText()).as("task for all after a kill: %s", afterKill)
                    .isEqualTo("completed");
            assertThat(afterKill.path("result").path("missing_workers")).extracting(JsonNode::asText)
                    .containsExactly("many-w" + WORKERS);
            assertThat(afterKill.path("result").path("reports")).hasSize(WORKERS - 1);
        }
    }

    /** POSTs a task for all with the given timeout and waits for it to end. */
    private static JsonNode all(int timeoutSeconds) {
        JsonNode accepted = Rig.json(Rig.post(api.url() + "/api/v1/health-checks?wait=30",
                "{\"target\": \"all\", \"timeout_seconds\": " + timeoutSeconds + "}"));
        return Rig.json(Rig.get(api.url() + "/api/v1/health-checks/" + accepted.path("task_id").asText()
                + "?wait=30"));
    }

    private static List<String> liveWorkers() {
        JsonNode workers = Rig.json(Rig.get(api.url() + "/api/v1/workers")).path("workers");
        return StreamSupport.stream(workers.spliterator(), false)
                .filter(worker -> worker.path("alive").asBoolean())
                .map(worker -> worker.path("worker_id").asText()).toList();
    }

    /** utime + stime of each process, in clock ticks (1/100 s). */
    private static long[] cpuTicks(List<Launcher.Command> workers) throws IOException {
        long[] ticks = new long[workers.size()];
        for (int i = 0; i < ticks.length; i++) {
            long pid = javaPid(workers.get(i).process().pid());
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks[i] = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
        return ticks;
    }

    private static long rssKb(long launcherPid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(javaPid(launcherPid)), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + launcherPid);
    }

    /** bin/vitals runs java with exec, so the launcher's process is the JVM; a child when it does not. */
    private static long javaPid(long launcherPid) {
        return ProcessHandle.of(launcherPid).flatMap(process -> process.children().findFirst())
                .map(ProcessHandle::pid).orElse(launcherPid);
    }
}
