package dev.vitals.worker.collect;

import java.util.Locale;

/**
 * What the cpu and memory checks are graded against ({@code vitals.worker.grade-scope}).
 */
public enum GradeScope {
    /** The container's limits when the worker's cgroup sets them (a memory limit, a CPU quota), else the host. */
    AUTO,
    /** Always the host: all its RAM, all its logical CPUs. */
    HOST,
    /**
     * The container's limits; where the cgroup sets none, the host, and the check's reason says so (a worker
     * started without a limit still reports, rather than refusing to start).
     */
    CONTAINER;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
