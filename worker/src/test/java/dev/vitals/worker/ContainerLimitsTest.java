package dev.vitals.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.model.json.VitalsJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker run inside a cgroup with a 256 MiB memory limit and a quota of half a core, next to a process of the same
 * cgroup that holds about 160 MiB and spins: {@code worker --once --json} grades memory against the limit and cpu
 * against the quota, and says so. It needs a cgroup v1 hierarchy this test may write (root on Linux); elsewhere it
 * is skipped with the reason.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ContainerLimitsTest {

    private static final Path V1 = Path.of("/sys/fs/cgroup");
    private static final String HOG = "import sys, time\n"
            + "b = bytearray(160 << 20)\n"
            + "for i in range(0, len(b), 4096): b[i] = 1\n"
            + "print('ready', flush=True)\n"
            + "end = time.time() + 90\n"
            + "while time.time() < end: pass\n";

    private final List<Path> cgroups = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    /** The test process's own cgroup in v1 hierarchy {@code controller}, from {@code /proc/self/cgroup}. */
    private static String ownCgroup(String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && List.of(parts[1].split(",")).contains(controller)) {
                return parts[2];
            }
        }
        return null;
    }

    /** A new child of this process's cgroup in {@code hierarchy}, or null with why not in {@code whyNot}. */
    private Path child(String hierarchy, String controller, String name, StringBuilder whyNot) throws IOException {
        String own = ownCgroup(controller);
        Path mount = V1.resolve(hierarchy);
        if (own == null || !Files.isDirectory(mount)) {
            whyNot.append("no cgroup v1 ").append(controller).append(" hierarchy at ").append(mount).append("; ");
            return null;
        }
        Path dir = mount.resolve(own.substring(1)).resolve(name);
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            whyNot.append("cannot create ").append(dir).append(" (").append(e).append("); ");
            return null;
        }
        cgroups.add(dir);
        return dir;
    }

    private static Path mountOf(String controller) {
        for (String candidate : List.of(controller, "cpu,cpuacct", "cpuacct,cpu")) {
            if (Files.isDirectory(V1.resolve(candidate).resolve("tasks").getParent())
                    && Files.exists(V1.resolve(candidate).resolve(controller.equals("cpu") ? "cpu.cfs_quota_us" : "cpuacct.usage"))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    @AfterEach
    void removeCgroups() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (Path dir : cgroups.reversed()) {
            try {
                Files.deleteIfExists(dir); // rmdir: a cgroup without tasks is removed with its files
            } catch (IOException e) {
                System.err.println("could not remove " + dir + ": " + e);
            }
        }
    }

    @Test
    void aWorkerInACgroupGradesMemoryAgainstItsLimitAndCpuAgainstItsQuota() throws Exception {
        StringBuilder whyNot = new StringBuilder();
        Assumptions.assumeTrue(System.getProperty("os.name").equals("Linux"), "cgroups are Linux's");
        Path cpuMount = mountOf("cpu");
        Path cpuacctMount = mountOf("cpuacct");
        Assumptions.assumeTrue(cpuMount != null && cpuacctMount != null && Files.isDirectory(V1.resolve("memory")),
                "this machine has no cgroup v1 memory, cpu and cpuacct hierarchies under " + V1
                        + " (a cgroup v2 machine): this test writes v1 cgroups");
        String name = "vitals-test-" + UUID.randomUUID().toString().substring(0, 8);
        Path memory = child("memory", "memory", name, whyNot);
        Path cpu = child(cpuMount.toString(), "cpu", name, whyNot);
        Path cpuacct = cpuacctMount.equals(cpuMount) ? cpu : child(cpuacctMount.toString(), "cpuacct", name, whyNot);
        Assumptions.assumeTrue(memory != null && cpu != null && cpuacct != null,
                "cannot create cgroups here (root on Linux is needed): " + whyNot);
        Files.writeString(memory.resolve("memory.limit_in_bytes"), String.valueOf(256L << 20));
        Files.writeString(cpu.resolve("cpu.cfs_period_us"), "100000");
        Files.writeString(cpu.resolve("cpu.cfs_quota_us"), "50000");

        Process hog = start(List.of(memory, cpu, cpuacct), List.of("/usr/bin/python3", "-c", HOG));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(hog.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).as("the memory holder's first line").isEqualTo("ready");
        }

        String java = ProcessHandle.current().info().command().orElseThrow();
        Process worker = start(List.of(memory, cpu, cpuacct), List.of(java, "-Xmx48m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dvitals.worker.once.cpu-window=1s",
                // the worker's own logging (to standard error), not the tests' (to standard output)
                "-Dlogback.configurationFile=" + WorkerMain.class.getResource("/logback.xml"), "-cp",
                System.getProperty("java.class.path"), WorkerMain.class.getName(), "--once", "--json"));
        String report = new String(worker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(worker.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.exitValue()).as("exit code of worker --once, report: %s", report).isIn(0, 1);

        assertThat(report).as("the report alone on standard output").startsWith("{");
        JsonNode checks = VitalsJson.newMapper().readTree(report).path("checks");
        JsonNode mem = checks.path("memory");
        assertThat(mem.path("scope").asText()).as(report).isEqualTo("container");
        assertThat(mem.path("limit_mb").asDouble()).isEqualTo(256.0);
        assertThat(mem.path("total_mb").asDouble()).isEqualTo(256.0);
        assertThat(mem.path("percent_used").asDouble()).as("160 MiB held of 256 MiB, and the worker's own")
                .isGreaterThanOrEqualTo(62.5);
        assertThat(mem.has("host_percent_used")).isTrue();
        assertThat(mem.path("host_total_mb").asDouble()).isGreaterThan(256.0);
        assertThat(mem.path("reason").asText()).startsWith("memory of the container is ").contains("of its 256 MB limit");

        JsonNode cpuCheck = checks.path("cpu");
        assertThat(cpuCheck.path("scope").asText()).as(report).isEqualTo("container");
        assertThat(cpuCheck.path("effective_cpus").asDouble()).isEqualTo(0.5);
        // On a busy shared machine the spinning process gets less than its half core; what it gets is still a large
        // share of the quota, and the container's CPUs are part of the host's busy ones.
        double quotaPercent = cpuCheck.path("percent_used").asDouble();
        assertThat(quotaPercent).as("a process spinning in half a core's quota").isGreaterThanOrEqualTo(20.0);
        assertThat(quotaPercent / 100 * 0.5).as("CPUs the container used, within the host's")
                .isLessThanOrEqualTo(cpuCheck.path("host_percent_used").asDouble() / 100 * 2 + 0.05);
        assertThat(cpuCheck.has("throttled_percent")).isTrue();
        assertThat(cpuCheck.has("host_percent_used")).isTrue();
        assertThat(cpuCheck.path("reason").asText()).startsWith("cpu of the container is ")
                .contains("of its quota of 0.50 CPU");
    }

    /** Starts {@code command} in the cgroups: a shell writes its own pid into each, then becomes the command. */
    private Process start(List<Path> into, List<String> command) throws IOException {
        StringBuilder script = new StringBuilder();
        for (Path dir : new java.util.LinkedHashSet<>(into)) {
            script.append("echo $$ > '").append(dir.resolve("tasks")).append("' && ");
        }
        script.append("exec \"$@\"");
        List<String> shell = new ArrayList<>(List.of("/bin/sh", "-c", script.toString(), "sh"));
        shell.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(shell).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(Map.of("VITALS_WORKER_ID", "cgroup-test"));
        Process process = builder.start();
        processes.add(process);
        return process;
    }
}
