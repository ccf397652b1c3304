package dev.vitals.worker.collect;

import dev.vitals.model.CheckName;
import dev.vitals.model.LoadAverage;
import java.util.Arrays;
import oshi.hardware.CentralProcessor;

/**
 * System load averages over 1, 5 and 15 minutes, from OSHI ({@code getloadavg(3)} on Unix-likes). Windows has
 * none, so there the metric is unavailable.
 */
public final class LoadCollector implements Collector {

    private final CentralProcessor processor;
    private final int logicalCpus;

    public LoadCollector(CentralProcessor processor) {
        this.processor = processor;
        this.logicalCpus = processor.getLogicalProcessorCount();
    }

    @Override
    public CheckName check() {
        return CheckName.LOAD;
    }

    /**
     * @return the 1-, 5- and 15-minute load averages (runnable and, on Linux, uninterruptible tasks) and the
     *         1-minute average per logical CPU
     * @throws MetricUnavailableException when the platform gives no load averages
     */
    @Override
    public LoadAverage collect() {
        return loadAverage(processor.getSystemLoadAverage(3), logicalCpus);
    }

    /**
     * Builds the measurement from OSHI's averages, where a negative value means "not available".
     *
     * @param averages    the 1-, 5- and 15-minute averages
     * @param logicalCpus the count the 1-minute average is divided by for {@code perCore}; positive
     * @throws MetricUnavailableException when any average is negative or missing
     */
    static LoadAverage loadAverage(double[] averages, int logicalCpus) {
        if (averages.length < 3 || Arrays.stream(averages).anyMatch(average -> average < 0)) {
            throw new MetricUnavailableException("load averages are not available on this platform");
        }
        if (logicalCpus <= 0) {
            throw new MetricUnavailableException("the number of logical CPUs is unknown");
        }
        return new LoadAverage(Arrays.asList(averages[0], averages[1], averages[2]), averages[0] / logicalCpus);
    }
}
