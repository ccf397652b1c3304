package dev.vitals.model;

/**
 * The raw numbers one check read from the machine, before grading. Each check has its own record;
 * {@link #gradedValue()} is the one number its thresholds apply to.
 */
public sealed interface Measurement permits CpuUsage, MemoryUsage, DiskUsage, LoadAverage, ThreadCount {

    /** The value compared with the check's thresholds, in the unit the thresholds use. */
    double gradedValue();
}
