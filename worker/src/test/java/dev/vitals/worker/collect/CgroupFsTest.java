package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupFsTest {

    private static Path sample(String version) throws URISyntaxException {
        return Path.of(CgroupFsTest.class.getResource("/cgroup/" + version).toURI());
    }

    private static CgroupFs detect(Path root) {
        return CgroupFs.detect(root.resolve("proc/self"), root).orElseThrow();
    }

    @Test
    void readsTheMemoryLimitOfADockerContainerOnCgroupV1LessInactiveFileCache() throws Exception {
        CgroupFs.Memory memory = detect(sample("v1")).memory().orElseThrow();

        assertThat(memory.limitBytes()).isEqualTo(256L << 20);
        assertThat(memory.usedBytes()).isEqualTo(230686720L - 20971520L);
        assertThat(memory.version()).isEqualTo(1);
        assertThat(memory.cgroup()).isEqualTo("/");
    }

    @Test
    void readsTheCpuQuotaAndThrottlingOfADockerContainerOnCgroupV1() throws Exception {
        CgroupFs.Cpu cpu = detect(sample("v1")).cpu().orElseThrow();

        assertThat(cpu.effectiveCpus()).isEqualTo(0.5);
        assertThat(cpu.usageNanos()).isEqualTo(500_000_000_000L);
        assertThat(cpu.periods()).isEqualTo(1000);
        assertThat(cpu.throttledPeriods()).isEqualTo(400);
        assertThat(cpu.throttledNanos()).isEqualTo(12_000_000_000L);
        assertThat(cpu.version()).isEqualTo(1);
    }

    @Test
    void onCgroupV2TheSlicesMemoryLimitBindsTheServiceInIt() throws Exception {
        CgroupFs.Memory memory = detect(sample("v2")).memory().orElseThrow();

        assertThat(memory.limitBytes()).isEqualTo(1L << 30);
        assertThat(memory.usedBytes()).isEqualTo(912680550L - 107374182L);
        assertThat(memory.cgroup()).isEqualTo("/system.slice");
        assertThat(memory.version()).isEqualTo(2);
    }

    @Test
    void onCgroupV2TheServicesOwnCpuQuotaBindsWithItsCounters() throws Exception {
        CgroupFs.Cpu cpu = detect(sample("v2")).cpu().orElseThrow();

        assertThat(cpu.effectiveCpus()).isEqualTo(1.5);
        assertThat(cpu.usageNanos()).isEqualTo(42_000_000_000L);
        assertThat(cpu.periods()).isEqualTo(5000);
        assertThat(cpu.throttledPeriods()).isEqualTo(250);
        assertThat(cpu.throttledNanos()).isEqualTo(3_500_000_000L);
        assertThat(cpu.cgroup()).isEqualTo("/system.slice/vitals-worker.service");
    }

    @Test
    void aCgroupWithoutLimitsHasNone(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(root.resolve("proc/self/cgroup"), "0::/user.slice\n");
        Files.writeString(root.resolve("proc/self/mountinfo"),
                "26 25 0:24 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
        Path slice = Files.createDirectories(root.resolve("sys/fs/cgroup/user.slice"));
        Files.writeString(slice.resolve("memory.max"), "max\n");
        Files.writeString(slice.resolve("cpu.max"), "max 100000\n");

        CgroupFs cgroups = detect(root);

        assertThat(cgroups.memory()).isEmpty();
        assertThat(cgroups.cpu()).isEmpty();
    }

    @Test
    void noCgroupFilesIsNoCgroup(@TempDir Path root) {
        assertThat(CgroupFs.detect(root.resolve("proc/self"), root)).isEmpty();
    }

    @Test
    void parsesProcSelfCgroupOfBothVersions() {
        assertThat(CgroupFs.parseMemberships("4:cpu,cpuacct:/docker/abc\n0::/system.slice/x.service\n"))
                .containsExactly(new CgroupFs.Membership(4, Set.of("cpu", "cpuacct"), "/docker/abc"),
                        new CgroupFs.Membership(0, Set.of(), "/system.slice/x.service"));
        assertThatThrownBy(() -> CgroupFs.parseMemberships("garbage")).hasMessageContaining("'garbage'");
    }

    @Test
    void parsesOnlyCgroupMountsWithTheirRootAndControllers() {
        String mountinfo = "22 1 252:1 / / rw - ext4 /dev/vda1 rw\n"
                + "31 30 0:28 /docker/abc /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
                + "40 30 0:37 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate\n";

        assertThat(CgroupFs.parseMountInfo(mountinfo)).containsExactly(
                new CgroupFs.Mount("/docker/abc", "/sys/fs/cgroup/cpu,cpuacct", false, Set.of("rw", "cpu", "cpuacct")),
                new CgroupFs.Mount("/", "/sys/fs/cgroup/unified", true, Set.of()));
    }

    @Test
    void resolvesACgroupUnderAMountThatShowsAPartOfTheTree() {
        CgroupFs.Mount mount = new CgroupFs.Mount("/kubepods/pod1", "/sys/fs/cgroup/memory", false, Set.of("memory"));

        assertThat(CgroupFs.hierarchy(false, mount, "/kubepods/pod1/c2", Path.of("/")).cgroup())
                .isEqualTo(Path.of("/sys/fs/cgroup/memory/c2"));
        assertThat(CgroupFs.hierarchy(false, mount, "/", Path.of("/")).cgroup())
                .isEqualTo(Path.of("/sys/fs/cgroup/memory"));
    }

    @Test
    void parsesLimitsWithTheirWaysOfSayingNone() {
        assertThat(CgroupFs.parseLimit("268435456\n")).isEqualTo(OptionalLong.of(268435456));
        assertThat(CgroupFs.parseLimit("max\n")).isEmpty();
        assertThat(CgroupFs.parseLimit("9223372036854771712\n")).isEmpty();
        assertThatThrownBy(() -> CgroupFs.parseLimit("lots")).hasMessageContaining("'lots'");
    }

    @Test
    void parsesCpuQuotasOfBothVersions() {
        assertThat(CgroupFs.parseCpuMax("50000 100000\n")).isEqualTo(Optional.of(0.5));
        assertThat(CgroupFs.parseCpuMax("max 100000\n")).isEmpty();
        assertThat(CgroupFs.parseCfsQuota("200000\n", "100000\n")).isEqualTo(Optional.of(2.0));
        assertThat(CgroupFs.parseCfsQuota("-1\n", "100000\n")).isEmpty();
        assertThatThrownBy(() -> CgroupFs.parseCpuMax("50000")).hasMessageContaining("'50000'");
    }

    @Test
    void parsesKeyValueFiles() {
        assertThat(CgroupFs.parseKeyValues("nr_periods 10\nnr_throttled 2\n\n"))
                .isEqualTo(Map.of("nr_periods", 10L, "nr_throttled", 2L));
        assertThatThrownBy(() -> CgroupFs.parseKeyValues("nr_periods ten")).hasMessageContaining("nr_periods ten");
    }
}
