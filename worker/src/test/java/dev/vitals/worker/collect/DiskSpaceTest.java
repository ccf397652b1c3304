package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vitals.model.MountUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceTest {

    private static final long GIB = 1L << 30;

    @Test
    void percentUsedIsUsedOverUsedPlusUsableLikeDf() {
        // 1000 bytes: 700 used, 300 free of which 50 reserved for root.
        DiskSpace space = new DiskSpace(1000, 300, 250);

        assertThat(space.percentUsed()).isCloseTo(100.0 * 700 / 950, within(1e-9));
    }

    @Test
    void agreesWithDfOnAFileSystemWithALargeRootReserve() {
        // df -k: 264212084 blocks, 23127072 used, 83263840 available, "22%".
        long kib = 1024;
        DiskSpace space = new DiskSpace(264212084 * kib, (264212084L - 23127072L) * kib, 83263840 * kib);

        assertThat(Math.ceil(space.percentUsed())).isEqualTo(22.0);
    }

    @Test
    void emptyFileSystemIsZeroPercentUsed() {
        assertThat(new DiskSpace(1000, 1000, 1000).percentUsed()).isZero();
    }

    @Test
    void fileSystemWithOnlyRootsReserveLeftIsFull() {
        assertThat(new DiskSpace(1000, 50, 0).percentUsed()).isEqualTo(100.0);
    }

    @Test
    void fileSystemEntirelyReservedForRootIsFull() {
        assertThat(new DiskSpace(1000, 1000, 0).percentUsed()).isEqualTo(100.0);
    }

    @Test
    void mountUsageReportsUsableSpaceAndSizeInGibibytes() {
        MountUsage usage = new DiskSpace(160 * GIB, 20 * GIB, 13 * GIB).toMountUsage("/");

        assertThat(usage.path()).isEqualTo("/");
        assertThat(usage.freeGb()).isCloseTo(13.0, within(1e-9));
        assertThat(usage.totalGb()).isCloseTo(160.0, within(1e-9));
        assertThat(usage.percentUsed()).isCloseTo(100.0 * 140 / 153, within(1e-9));
    }

    @Test
    void readsTheSpaceOfARealMountPoint() {
        DiskSpace space = DiskSpace.of("/");

        assertThat(space.totalBytes()).isPositive();
        assertThat(space.freeBytes()).isBetween(0L, space.totalBytes());
        assertThat(space.usableBytes()).isBetween(0L, space.freeBytes());
    }

    @Test
    void aMountPointThatIsAFileHasNoSpace(@TempDir Path dir) throws IOException {
        Path hosts = Files.createFile(dir.resolve("hosts"));

        assertThat(DiskSpace.of(hosts.toString())).isEqualTo(new DiskSpace(0, 0, 0));
    }

    @Test
    void aMissingMountPointHasNoSpace(@TempDir Path dir) {
        assertThat(DiskSpace.of(dir.resolve("gone").toString()).totalBytes()).isZero();
    }
}
