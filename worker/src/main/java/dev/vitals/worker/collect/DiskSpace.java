package dev.vitals.worker.collect;

import dev.vitals.model.MountUsage;
import java.io.File;

/**
 * The space of one mounted file system, in bytes, as {@code statvfs(3)} gives it.
 *
 * @param totalBytes  size of the file system
 * @param freeBytes   free space, the part reserved for root included
 * @param usableBytes free space ordinary users may use
 */
record DiskSpace(long totalBytes, long freeBytes, long usableBytes) {

    /** Disk space is reported in GiB: bytes / 2^30, as {@code df -h} shows it. */
    static final double BYTES_PER_GIB = 1024.0 * 1024.0 * 1024.0;

    private static final DiskSpace NONE = new DiskSpace(0, 0, 0);

    /**
     * Reads the space of the file system mounted at {@code mountPoint}. All zero when it cannot be read, and when
     * the mount point is not a directory: a file bind-mounted over a file, such as a container's
     * {@code /etc/hosts}, is not a disk of its own.
     */
    static DiskSpace of(String mountPoint) {
        File root = new File(mountPoint);
        if (!root.isDirectory()) {
            return NONE;
        }
        return new DiskSpace(root.getTotalSpace(), root.getFreeSpace(), root.getUsableSpace());
    }

    /**
     * Percent used the way {@code df} shows it: used = total − free, over used + usable. Space reserved for root
     * counts as neither, so a file system ordinary users can no longer write to is 100% full even though root
     * still could.
     *
     * @return 0–100; 100 when nothing is used and nothing is usable either (all of it is reserved)
     */
    double percentUsed() {
        long used = Math.max(0, totalBytes - freeBytes);
        long usable = Math.max(0, usableBytes);
        if (used + usable == 0) {
            return 100.0;
        }
        return 100.0 * used / (used + usable);
    }

    /** This file system's usage for the report: free means usable by ordinary users; sizes in GiB. */
    MountUsage toMountUsage(String path) {
        return new MountUsage(path, percentUsed(), usableBytes / BYTES_PER_GIB, totalBytes / BYTES_PER_GIB);
    }
}
