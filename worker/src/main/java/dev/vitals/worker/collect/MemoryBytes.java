package dev.vitals.worker.collect;

/**
 * Physical memory in bytes, as read from the machine.
 *
 * @param totalBytes     installed memory usable by the kernel
 * @param availableBytes memory new work can get without swapping
 */
record MemoryBytes(long totalBytes, long availableBytes) {
}
