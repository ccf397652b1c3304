package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * System load averages.
 *
 * @param loadAverage the 1-, 5- and 15-minute load averages
 * @param perCore     the 1-minute load average divided by the number of logical CPUs
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LoadAverage(List<Double> loadAverage, double perCore) implements Measurement {

    public LoadAverage {
        loadAverage = List.copyOf(loadAverage);
    }

    @Override
    public double gradedValue() {
        return perCore;
    }
}
