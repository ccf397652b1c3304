package dev.vitals.worker.collect;

/**
 * One mounted file system as the mount table lists it, before any filtering.
 *
 * @param source     what is mounted: a device such as {@code /dev/sda1}, or a name such as {@code tmpfs}
 * @param mountPoint where it is mounted, an absolute path
 * @param type       the file system type, such as {@code ext4}, {@code overlay} or {@code proc}
 */
record MountEntry(String source, String mountPoint, String type) {
}
