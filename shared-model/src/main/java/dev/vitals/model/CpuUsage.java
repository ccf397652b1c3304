package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * CPU use of the whole machine over a recent window.
 *
 * @param percentUsed   busy time over the window, 0–100, across all logical CPUs
 * @param logicalCpus   number of logical CPUs
 * @param windowSeconds length of the window the percentage was measured over, in seconds
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CpuUsage(double percentUsed, int logicalCpus, double windowSeconds) implements Measurement {

    @Override
    public double gradedValue() {
        return percentUsed;
    }
}
