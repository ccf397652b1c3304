package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.vitals.model.CheckName;
import dev.vitals.model.DiskUsage;
import dev.vitals.model.MountUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import oshi.SystemInfo;

class DiskCollectorTest {

    private static final long GIB = 1L << 30;

    private static final List<MountEntry> MOUNTS = List.of(
            new MountEntry("proc", "/proc", "proc"),
            new MountEntry("/dev/vda", "/", "ext4"),
            new MountEntry("tmpfs", "/run", "tmpfs"),
            new MountEntry("/dev/vdb1", "/data", "xfs"),
            new MountEntry("/dev/vdc1", "/empty", "ext4"));

    private static final Map<String, DiskSpace> SPACE = Map.of(
            "/", new DiskSpace(100 * GIB, 60 * GIB, 60 * GIB),
            "/run", new DiskSpace(GIB, GIB, GIB),
            "/data", new DiskSpace(100 * GIB, 10 * GIB, 10 * GIB),
            "/empty", new DiskSpace(0, 0, 0));

    private final SteppingClock clock = new SteppingClock(Instant.parse("2026-11-22T10:00:00Z"));

    private DiskCollector collector(List<String> watchedPaths) {
        return new DiskCollector(() -> MOUNTS, SPACE::get, watchedPaths, clock);
    }

    @Test
    void reportsEveryRealFileSystemAndTheFullestAtTheTop() {
        DiskUsage disk = collector(List.of()).collect();

        assertThat(disk.mounts()).extracting(MountUsage::path).containsExactly("/", "/data");
        assertThat(disk.path()).isEqualTo("/data");
        assertThat(disk.percentUsed()).isEqualTo(90.0);
        assertThat(disk.freeGb()).isEqualTo(10.0);
        assertThat(disk.totalGb()).isEqualTo(100.0);
    }

    @Test
    void watchedPathsLimitTheReportToThem() {
        DiskUsage disk = collector(List.of("/", "/run")).collect();

        assertThat(disk.mounts()).extracting(MountUsage::path).containsExactly("/", "/run");
        assertThat(disk.path()).isEqualTo("/");
    }

    @Test
    void aMissingWatchedPathIsLeftOutWhileAnotherIsMounted() {
        DiskUsage disk = collector(List.of("/backup", "/data")).collect();

        assertThat(disk.mounts()).extracting(MountUsage::path).containsExactly("/data");
    }

    @Test
    void unavailableNamingTheWatchedPathsWhenNoneIsMounted() {
        assertThatThrownBy(() -> collector(List.of("/backup", "/empty")).collect())
                .isInstanceOf(MetricUnavailableException.class)
                .hasMessage("none of the watched paths is a mounted file system: /backup, /empty");
    }

    @Test
    void unavailableWhenNoDiskIsMounted() {
        DiskCollector onlyPseudo = new DiskCollector(() -> List.of(new MountEntry("proc", "/proc", "proc")),
                SPACE::get, List.of(), clock);

        assertThatThrownBy(onlyPseudo::collect)
                .isInstanceOf(MetricUnavailableException.class)
                .hasMessage("no disk file system is mounted");
    }

    @Test
    void theMountTableIsReadAgainOnlyOnceItsTimeToLiveHasPassed() {
        AtomicInteger reads = new AtomicInteger();
        DiskCollector collector = new DiskCollector(() -> {
            reads.incrementAndGet();
            return MOUNTS;
        }, SPACE::get, List.of(), clock);

        collector.collect();
        clock.advance(DiskCollector.MOUNT_LIST_TIME_TO_LIVE.minusMillis(1));
        collector.collect();
        assertThat(reads).hasValue(1);
        clock.advance(Duration.ofMillis(1));
        collector.collect();
        assertThat(reads).hasValue(2);
    }

    @Test
    void readsProcMountsLeavingOutBindMountedFiles(@TempDir Path dir) throws IOException {
        Path proc = Files.createDirectories(dir.resolve("proc/self"));
        Path disk = Files.createDirectory(dir.resolve("disk"));
        Path hosts = Files.createFile(dir.resolve("hosts"));
        Files.writeString(proc.resolve("mounts"), "/dev/sda1 " + disk + " ext4 rw 0 0\n"
                + "/dev/sda1 " + hosts + " ext4 rw 0 0\n"
                + "proc " + dir.resolve("proc") + " proc rw 0 0\n");

        DiskCollector collector = DiskCollector.fromProc(new ProcFs(dir.resolve("proc")), List.of(), clock);

        assertThat(collector.collect().mounts()).extracting(MountUsage::path).containsExactly(disk.toString());
    }

    @Test
    void aWatchedBindMountedFileCountsAsMissing(@TempDir Path dir) throws IOException {
        Path proc = Files.createDirectories(dir.resolve("proc/self"));
        Path hosts = Files.createFile(dir.resolve("hosts"));
        Files.writeString(proc.resolve("mounts"), "/dev/sda1 " + hosts + " ext4 rw 0 0\n");

        DiskCollector collector = DiskCollector.fromProc(new ProcFs(dir.resolve("proc")), List.of(hosts.toString()),
                clock);

        assertThatThrownBy(collector::collect)
                .isInstanceOf(MetricUnavailableException.class)
                .hasMessageEndingWith(hosts.toString());
    }

    @Nested
    class OnThisMachine {

        @Test
        void procMountsGiveSaneUsage() {
            assumeThat(ProcFs.isAvailable(ProcFs.DEFAULT_ROOT)).as("Linux /proc").isTrue();
            DiskCollector collector =
                    DiskCollector.fromProc(new ProcFs(ProcFs.DEFAULT_ROOT), List.of(), Clock.systemUTC());

            assertSane(collector.collect());
            assertThat(collector.check()).isEqualTo(CheckName.DISK);
        }

        @Test
        void oshiFileStoresGiveSaneUsage() {
            DiskCollector collector = DiskCollector.fromOshi(
                    new SystemInfo().getOperatingSystem().getFileSystem(), List.of(), Clock.systemUTC());

            assertSane(collector.collect());
        }

        @Test
        void watchingTheRootReportsExactlyTheRoot() {
            assumeThat(ProcFs.isAvailable(ProcFs.DEFAULT_ROOT)).as("Linux /proc").isTrue();
            DiskCollector collector =
                    DiskCollector.fromProc(new ProcFs(ProcFs.DEFAULT_ROOT), List.of("/"), Clock.systemUTC());

            assertThat(collector.collect().mounts()).extracting(MountUsage::path).containsExactly("/");
        }

        private static void assertSane(DiskUsage disk) {
            assertThat(disk.mounts()).isNotEmpty().allSatisfy(mount -> {
                assertThat(mount.percentUsed()).isBetween(0.0, 100.0);
                assertThat(mount.totalGb()).isPositive();
                assertThat(mount.freeGb()).isBetween(0.0, mount.totalGb());
            });
            assertThat(disk.mounts()).extracting(MountUsage::path).doesNotHaveDuplicates();
            assertThat(disk.percentUsed()).isEqualTo(
                    disk.mounts().stream().mapToDouble(MountUsage::percentUsed).max().orElseThrow());
        }
    }
}
