package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileSystemFilterTest {

    private static final MountEntry ROOT = new MountEntry("/dev/vda", "/", "ext4");
    private static final MountEntry DATA = new MountEntry("/dev/vdb1", "/data", "xfs");

    private static MountEntry mount(String mountPoint, String type) {
        return new MountEntry(type, mountPoint, type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "squashfs",
            "iso9660", "nsfs", "autofs", "mqueue", "fuse.lxcfs", "devfs"})
    void pseudoFileSystemsAreNotDisks(String type) {
        assertThat(FileSystemFilter.isPseudo(type)).isTrue();
        assertThat(FileSystemFilter.select(List.of(ROOT, mount("/somewhere", type)), List.of()).mounts())
                .containsExactly(ROOT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext4", "xfs", "btrfs", "zfs", "overlay", "vfat", "NTFS", "apfs", "fuse.mergerfs"})
    void realFileSystemsAreDisks(String type) {
        MountEntry mount = mount("/mnt/disk", type);

        assertThat(FileSystemFilter.select(List.of(mount), List.of()).mounts()).containsExactly(mount);
    }

    @Test
    void aContainersOverlayRootIsKept() {
        MountEntry overlayRoot = new MountEntry("overlay", "/", "overlay");

        assertThat(FileSystemFilter.select(List.of(overlayRoot, mount("/proc", "proc")), List.of()).mounts())
                .containsExactly(overlayRoot);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nfs", "nfs4", "cifs", "fuse.sshfs"})
    void networkFileSystemsAreLeftOutUnlessWatched(String type) {
        MountEntry share = mount("/mnt/share", type);

        assertThat(FileSystemFilter.select(List.of(ROOT, share), List.of()).mounts()).containsExactly(ROOT);
        assertThat(FileSystemFilter.select(List.of(ROOT, share), List.of("/mnt/share")).mounts())
                .containsExactly(share);
    }

    @Test
    void aMountPointListedTwiceCountsOnceAsItsLastMount() {
        MountEntry hidden = new MountEntry("/dev/sdc1", "/data", "ext4");

        assertThat(FileSystemFilter.select(List.of(ROOT, hidden, DATA), List.of()).mounts())
                .containsExactly(ROOT, DATA);
    }

    @Test
    void aRealMountHiddenByATmpfsIsNotCounted() {
        MountEntry tmpOverData = mount("/data", "tmpfs");

        assertThat(FileSystemFilter.select(List.of(ROOT, DATA, tmpOverData), List.of()).mounts())
                .containsExactly(ROOT);
    }

    @Test
    void watchedPathsSelectExactlyThoseMountPoints() {
        FileSystemFilter.Selection selection = FileSystemFilter.select(List.of(ROOT, DATA), List.of("/data"));

        assertThat(selection.mounts()).containsExactly(DATA);
        assertThat(selection.missing()).isEmpty();
    }

    @Test
    void watchedPathsMayNameMemoryBackedFileSystems() {
        MountEntry tmp = mount("/tmp", "tmpfs");

        assertThat(FileSystemFilter.select(List.of(ROOT, tmp), List.of("/tmp")).mounts()).containsExactly(tmp);
    }

    @Test
    void watchedPathsThatAreNotMountPointsAreReportedMissing() {
        FileSystemFilter.Selection selection =
                FileSystemFilter.select(List.of(ROOT, DATA), List.of("/", "/backup", "/data/sub"));

        assertThat(selection.mounts()).containsExactly(ROOT);
        assertThat(selection.missing()).containsExactly("/backup", "/data/sub");
    }

    @Test
    void watchedPathsMatchWithOrWithoutTrailingSlashAndCountOnce() {
        FileSystemFilter.Selection selection =
                FileSystemFilter.select(List.of(ROOT, DATA), List.of("/data/", "/data"));

        assertThat(selection.mounts()).containsExactly(DATA);
    }

    @Test
    void normalizingKeepsTheRoot() {
        assertThat(FileSystemFilter.normalize("/")).isEqualTo("/");
        assertThat(FileSystemFilter.normalize("/data//")).isEqualTo("/data");
    }
}
