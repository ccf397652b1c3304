package dev.vitals.worker.collect;

import dev.vitals.model.CheckName;
import dev.vitals.model.DiskUsage;
import dev.vitals.model.MountUsage;
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
 * <p>Which file systems count is {@link FileSystemFilter}'s rule; a file system whose size reads as zero, or
 * whose mount point is a file rather than a directory (see {@link DiskSpace#of}), is left out too. Reading the
 * mount table is the costly part (OSHI even runs {@code lsblk} for it), so which mounts to read is decided
 * again only every {@link #MOUNT_LIST_TIME_TO_LIVE}: a new mount shows up within that time. Space is read
 * afresh on every call, one {@code statvfs} per counted mount.
 */
public final class DiskCollector implements Collector {

    /** How long the choice of mounts is reused before the mount table is read again. */
    public static final Duration MOUNT_LIST_TIME_TO_LIVE = Duration.ofSeconds(5);

    private final Supplier<FileSystemFilter.Selection> selection;
    private final Function<String, DiskSpace> space;
    private final boolean watching;

    /**
     * @param mountTable   lists the mounts, in mount order
     * @param space        reads the space of the file system at a mount point
     * @param watchedPaths mount points to watch; empty for every real local file system
     * @param clock        ages the choice of mounts
     */
    DiskCollector(Supplier<List<MountEntry>> mountTable, Function<String, DiskSpace> space, List<String> watchedPaths,
            Clock clock) {
        List<String> watched = List.copyOf(watchedPaths);
        this.selection = new CachedValue<>(() -> FileSystemFilter.select(mountTable.get(), watched),
                MOUNT_LIST_TIME_TO_LIVE, clock);
        this.space = space;
        this.watching = !watched.isEmpty();
    }

    /** Lists mounts through OSHI's local file stores, on any platform. */
    public static DiskCollector fromOshi(FileSystem fileSystem, List<String> watchedPaths, Clock clock) {
        Supplier<List<MountEntry>> oshiMounts = () -> fileSystem.getFileStores(true).stream()
                .map(store -> new MountEntry(store.getVolume(), store.getMount(), store.getType()))
                .toList();
        return new DiskCollector(oshiMounts, DiskSpace::of, watchedPaths, clock);
    }

    /** Lists mounts from Linux's {@code /proc/self/mounts}. */
    static DiskCollector fromProc(ProcFs proc, List<String> watchedPaths, Clock clock) {
        return new DiskCollector(proc::mounts, DiskSpace::of, watchedPaths, clock);
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
        FileSystemFilter.Selection chosen = selection.get();
        List<MountUsage> usages = new ArrayList<>(chosen.mounts().size());
        List<String> missing = new ArrayList<>(chosen.missing());
        for (MountEntry mount : chosen.mounts()) {
            DiskSpace mountSpace = space.apply(mount.mountPoint());
            if (mountSpace.totalBytes() > 0) {
                usages.add(mountSpace.toMountUsage(mount.mountPoint()));
            } else {
                missing.add(mount.mountPoint());
            }
        }
        if (usages.isEmpty()) {
            throw new MetricUnavailableException(watching
                    ? "none of the watched paths is a mounted file system: " + String.join(", ", missing)
                    : "no disk file system is mounted");
        }
        return DiskUsage.ofMounts(usages);
    }
}
