package dev.vitals.worker.collect;

import dev.vitals.model.CheckName;
import dev.vitals.model.DiskUsage;
import dev.vitals.model.MountUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import oshi.software.os.FileSystem;

/**
 * Space on every mounted disk, or on the watched mount points only; graded on the fullest.
 *
 * <p>Which file systems count is {@link FileSystemFilter}'s rule; a mount point that is a file rather than a
 * directory (a container's bind-mounted {@code /etc/hosts}) and a file system whose size reads as zero are left
 * out too. Listing the mounts is the costly part (OSHI runs {@code lsblk} for it), so the list is reused for
 * {@link #MOUNT_LIST_TIME_TO_LIVE}: a new mount shows up within that time. Space is read afresh on every call,
 * one {@code statvfs} per mount.
 */
public final class DiskCollector implements Collector {

    /** How long the list of mounts is reused before the mount table is read again. */
    public static final Duration MOUNT_LIST_TIME_TO_LIVE = Duration.ofSeconds(5);

    private final Supplier<List<MountEntry>> mounts;
    private final Function<String, DiskSpace> space;
    private final List<String> watchedPaths;

    /**
     * @param mounts       the mount table, in mount order; called on every collection, so cache it if it is costly
     * @param space        reads the space of the file system at a mount point
     * @param watchedPaths mount points to watch; empty for every real local file system
     */
    DiskCollector(Supplier<List<MountEntry>> mounts, Function<String, DiskSpace> space, List<String> watchedPaths) {
        this.mounts = mounts;
        this.space = space;
        this.watchedPaths = List.copyOf(watchedPaths);
    }

    /** Lists mounts through OSHI's local file stores, on any platform. */
    public static DiskCollector fromOshi(FileSystem fileSystem, List<String> watchedPaths, Clock clock) {
        Supplier<List<MountEntry>> oshiMounts = () -> fileSystem.getFileStores(true).stream()
                .map(store -> new MountEntry(store.getVolume(), store.getMount(), store.getType()))
                .toList();
        return new DiskCollector(directoriesOnly(oshiMounts, clock), DiskSpace::of, watchedPaths);
    }

    /** Lists mounts from Linux's {@code /proc/self/mounts}. */
    static DiskCollector fromProc(ProcFs proc, List<String> watchedPaths, Clock clock) {
        return new DiskCollector(directoriesOnly(proc::mounts, clock), DiskSpace::of, watchedPaths);
    }

    private static Supplier<List<MountEntry>> directoriesOnly(Supplier<List<MountEntry>> mounts, Clock clock) {
        return new CachedValue<>(() -> mounts.get().stream()
                .filter(mount -> Files.isDirectory(Path.of(mount.mountPoint())))
                .toList(), MOUNT_LIST_TIME_TO_LIVE, clock);
    }

    @Override
    public CheckName check() {
        return CheckName.DISK;
    }

    /**
     * @return every counted mount with its percent used (0–100, as {@code df} computes it), usable space and size
     *         in GiB, and the fullest of them at the top level. A watched path that is not mounted is left out
     *         while another watched one is.
     * @throws MetricUnavailableException when no counted file system is mounted, naming the watched paths when
     *                                    there are some
     */
    @Override
    public DiskUsage collect() {
        FileSystemFilter.Selection selection = FileSystemFilter.select(mounts.get(), watchedPaths);
        List<MountUsage> usages = new ArrayList<>(selection.mounts().size());
        List<String> missing = new ArrayList<>(selection.missing());
        for (MountEntry mount : selection.mounts()) {
            DiskSpace mountSpace = space.apply(mount.mountPoint());
            if (mountSpace.totalBytes() > 0) {
                usages.add(mountSpace.toMountUsage(mount.mountPoint()));
            } else {
                missing.add(mount.mountPoint());
            }
        }
        if (usages.isEmpty()) {
            throw new MetricUnavailableException(watchedPaths.isEmpty()
                    ? "no disk file system is mounted"
                    : "none of the watched paths is a mounted file system: " + String.join(", ", missing));
        }
        return DiskUsage.ofMounts(usages);
    }
}
