package dev.vitals.worker.collect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decides which mounted file systems the disk check watches. Pure: it sees mount entries, never the disks.
 *
 * <p>Without watched paths, every real local file system counts: kernel and memory-backed file systems
 * (proc, sysfs, tmpfs, cgroup…), read-only images that are always full (squashfs, iso9660…) and network
 * file systems (whose server may hang the reading) are left out. A container's {@code overlay} root is real and
 * kept. With watched paths, exactly the watched mount points count, whatever their type, since someone asked
 * for them: a tmpfs {@code /tmp} filling up is worth watching.
 */
final class FileSystemFilter {

    /** File systems with no disk behind them, or images that are full by construction. Lower case. */
    static final Set<String> PSEUDO_TYPES = Set.of(
            // Linux kernel interfaces
            "proc", "sysfs", "devpts", "cgroup", "cgroup2", "cpuset", "securityfs", "debugfs", "tracefs",
            "configfs", "fusectl", "pstore", "bpf", "mqueue", "hugetlbfs", "binfmt_misc", "rpc_pipefs", "nfsd",
            "efivarfs", "selinuxfs", "autofs", "nsfs", "anon_inodefs", "sockfs", "pipefs", "bdev", "dax", "drm",
            "inotifyfs", "usbfs", "sunrpc", "rootfs",
            // memory-backed
            "tmpfs", "devtmpfs", "ramfs",
            // read-only images
            "squashfs", "iso9660", "udf", "erofs", "cramfs", "romfs",
            "fuse.squashfuse", "fuse.squashfuse_ll", "fuse.snapfuse",
            // user-space views of something else
            "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal",
            // BSD, macOS and Solaris kernel interfaces
            "devfs", "fdescfs", "procfs", "linprocfs", "linsysfs", "ctfs", "objfs", "mntfs", "sharefs", "fd");

    /** File systems served over the network. Lower case. */
    static final Set<String> NETWORK_TYPES = Set.of(
            "nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "ncp", "ncpfs", "sshfs", "fuse.sshfs", "glusterfs",
            "fuse.glusterfs", "ceph", "fuse.ceph", "lustre", "gpfs", "davfs", "fuse.davfs2");

    /**
     * The mounts the disk check reads.
     *
     * @param mounts  mount points to read, in mount-table order
     * @param missing watched paths that are not mount points here
     */
    record Selection(List<MountEntry> mounts, List<String> missing) {

        Selection {
            mounts = List.copyOf(mounts);
            missing = List.copyOf(missing);
        }
    }

    private FileSystemFilter() {
    }

    static boolean isPseudo(String type) {
        return PSEUDO_TYPES.contains(type.toLowerCase(Locale.ROOT));
    }

    static boolean isNetwork(String type) {
        return NETWORK_TYPES.contains(type.toLowerCase(Locale.ROOT));
    }

    /**
     * Picks the mounts to read. A mount point listed more than once counts once, as its last entry: a later
     * mount hides an earlier one at the same place.
     *
     * @param mounts       the mount table, in mount order
     * @param watchedPaths mount points to watch; empty for every real local file system
     */
    static Selection select(List<MountEntry> mounts, List<String> watchedPaths) {
        Map<String, MountEntry> byMountPoint = new LinkedHashMap<>();
        for (MountEntry mount : mounts) {
            byMountPoint.put(normalize(mount.mountPoint()), mount);
        }
        if (watchedPaths.isEmpty()) {
            List<MountEntry> real = byMountPoint.values().stream()
                    .filter(mount -> !isPseudo(mount.type()) && !isNetwork(mount.type()))
                    .toList();
            return new Selection(real, List.of());
        }
        List<MountEntry> watched = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String path : new LinkedHashSet<>(watchedPaths.stream().map(FileSystemFilter::normalize).toList())) {
            MountEntry mount = byMountPoint.get(path);
            if (mount == null) {
                missing.add(path);
            } else {
                watched.add(mount);
            }
        }
        return new Selection(watched, missing);
    }

    /** Drops trailing slashes, so that {@code /data/} and {@code /data} name the same mount point. */
    static String normalize(String path) {
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }
}
