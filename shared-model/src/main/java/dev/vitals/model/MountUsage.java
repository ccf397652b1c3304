package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Space on one mounted file system.
 *
 * @param path        the mount point
 * @param percentUsed used share of the space usable by ordinary users, 0–100
 * @param freeGb      space usable by ordinary users, in GiB
 * @param totalGb     size of the file system, in GiB
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MountUsage(String path, double percentUsed, double freeGb, double totalGb) {
}
