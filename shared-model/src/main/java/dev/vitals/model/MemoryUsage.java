package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Physical memory.
 *
 * @param percentUsed share of memory not available to new work, 0–100
 * @param availableMb memory available to new work without swapping, in MiB
 * @param totalMb     installed memory, in MiB
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MemoryUsage(double percentUsed, double availableMb, double totalMb) implements Measurement {

    @Override
    public double gradedValue() {
        return percentUsed;
    }
}
