package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

    @Test
    void threadCountIsTheTotalOfTheFourthLoadavgField() {
        assertThat(ProcFs.parseThreadCount("0.66 0.24 0.09 1/140 8273\n")).isEqualTo(140);
    }

    @Test
    void threadCountRefusesAShortLoadavg() {
        assertThatThrownBy(() -> ProcFs.parseThreadCount("0.66 0.24 0.09"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.66 0.24 0.09");
    }

    @Test
    void threadCountRefusesANonNumericTotal() {
        assertThatThrownBy(() -> ProcFs.parseThreadCount("0.66 0.24 0.09 1/x 8273"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void memoryIsMemTotalAndMemAvailableInBytes() {
        String meminfo = """
                MemTotal:       24684092 kB
                MemFree:        23757552 kB
                MemAvailable:   24075388 kB
                Buffers:            4432 kB
                """;

        assertThat(ProcFs.parseMemInfo(meminfo)).isEqualTo(new MemoryBytes(24684092L * 1024, 24075388L * 1024));
    }

    @Test
    void memoryAvailableIsEstimatedOnKernelsWithoutMemAvailable() {
        String meminfo = """
                MemTotal:        1000 kB
                MemFree:          100 kB
                Buffers:           10 kB
                Cached:           300 kB
                Active(file):     120 kB
                Inactive(file):   130 kB
                SReclaimable:      40 kB
                """;

        assertThat(ProcFs.parseMemInfo(meminfo).availableBytes()).isEqualTo((100 + 120 + 130 + 40) * 1024L);
    }

    @Test
    void memoryRefusesMeminfoWithoutMemTotal() {
        assertThatThrownBy(() -> ProcFs.parseMemInfo("MemFree: 100 kB\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MemTotal");
    }

    @Test
    void memoryRefusesANonNumericValue() {
        assertThatThrownBy(() -> ProcFs.parseMemInfo("MemTotal: lots kB\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lots");
    }

    @Test
    void mountsAreReadInOrderWithSourceMountPointAndType() {
        String mounts = """
                proc /proc proc rw,relatime 0 0
                /dev/vda / ext4 rw,relatime,discard 0 0
                overlay /var/lib/docker/overlay2/abc/merged overlay rw,lowerdir=/a:/b 0 0
                """;

        assertThat(ProcFs.parseMounts(mounts)).containsExactly(
                new MountEntry("proc", "/proc", "proc"),
                new MountEntry("/dev/vda", "/", "ext4"),
                new MountEntry("overlay", "/var/lib/docker/overlay2/abc/merged", "overlay"));
    }

    @Test
    void mountPointsHaveTheirOctalEscapesDecoded() {
        String mounts = "/dev/sdb1 /media/My\\040Disk\\134x ext4 rw 0 0\n";

        assertThat(ProcFs.parseMounts(mounts)).singleElement()
                .extracting(MountEntry::mountPoint).isEqualTo("/media/My Disk\\x");
    }

    @Test
    void aBackslashNotFollowedByThreeOctalDigitsIsKept() {
        assertThat(ProcFs.unescape("/a\\09b\\1")).isEqualTo("/a\\09b\\1");
    }

    @Test
    void blankAndTruncatedMountLinesAreSkipped() {
        assertThat(ProcFs.parseMounts("\n/dev/sda1 /boot\n/dev/sda2 /home xfs rw 0 0\n"))
                .containsExactly(new MountEntry("/dev/sda2", "/home", "xfs"));
    }

    @Test
    void processCountCountsOnlyNumericEntries(@TempDir Path root) throws IOException {
        for (String name : new String[] {"1", "42", "31337", "self", "net", "3a", "sys"}) {
            Files.createDirectory(root.resolve(name));
        }

        assertThat(new ProcFs(root).processCount()).isEqualTo(3);
    }

    @Test
    void readingAMissingFileNamesIt(@TempDir Path root) {
        assertThatThrownBy(() -> new ProcFs(root).threadCount())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("loadavg")
                .hasMessageEndingWith("NoSuchFileException");
    }

    @Test
    void isUnavailableWithoutItsFiles(@TempDir Path root) {
        assertThat(ProcFs.isAvailable(root)).isFalse();
    }

    @Nested
    class OnThisMachine {

        private final ProcFs proc = new ProcFs(ProcFs.DEFAULT_ROOT);

        @Test
        void readsThreadsProcessesAndMountsFromTheRealProc() {
            assumeThat(ProcFs.isAvailable(ProcFs.DEFAULT_ROOT)).as("Linux /proc").isTrue();

            assertThat(proc.threadCount()).isGreaterThanOrEqualTo(Thread.activeCount());
            assertThat(proc.processCount()).isPositive();
            assertThat(proc.mounts()).extracting(MountEntry::mountPoint).contains("/");
            MemoryBytes memory = proc.memory();
            assertThat(memory.totalBytes()).isPositive();
            assertThat(memory.availableBytes()).isBetween(0L, memory.totalBytes());
        }
    }
}
