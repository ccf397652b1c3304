package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Comparator;
import java.util.List;

/**
 * Every watched mount, graded on the fullest. The top-level fields repeat the fullest mount so that a
 * reader need not search the list.
 *
 * @param percentUsed percent used of the fullest mount
 * @param freeGb      free space of the fullest mount, in GiB
 * @param totalGb     size of the fullest mount, in GiB
 * @param path        mount point of the fullest mount
 * @param mounts      every watched mount
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DiskUsage(double percentUsed, double freeGb, double totalGb, String path, List<MountUsage> mounts)
        implements Measurement {

    public DiskUsage {
        mounts = List.copyOf(mounts);
    }

    /**
     * Builds the measurement from the watched mounts, picking the fullest one (the first of equals).
     *
     * @throws IllegalArgumentException when there are no mounts: there is nothing to grade
     */
    public static DiskUsage ofMounts(List<MountUsage> mounts) {
        MountUsage fullest = mounts.stream()
                .max(Comparator.comparingDouble(MountUsage::percentUsed))
                .orElseThrow(() -> new IllegalArgumentException("no watched file system is mounted"));
        return new DiskUsage(fullest.percentUsed(), fullest.freeGb(), fullest.totalGb(), fullest.path(), mounts);
    }

    @Override
    public double gradedValue() {
        return percentUsed;
    }
}
