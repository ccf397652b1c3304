package dev.vitals.worker.collect;

import dev.vitals.model.CheckName;
import dev.vitals.model.CpuUsage;

/**
 * CPU use from the {@link CpuSampler}'s latest window. Never blocks: before the first window closes (one
 * sampling interval after start) the metric is unavailable.
 */
public final class CpuCollector implements Collector {

    private final CpuSampler sampler;
    private final int logicalCpus;

    /**
     * @param sampler     a started sampler
     * @param logicalCpus the machine's logical CPUs, reported alongside the percentage
     */
    public CpuCollector(CpuSampler sampler, int logicalCpus) {
        this.sampler = sampler;
        this.logicalCpus = logicalCpus;
    }

    @Override
    public CheckName check() {
        return CheckName.CPU;
    }

    /**
     * @return busy percent (0–100) over the latest window, the logical CPU count, and that window's real length
     *         in seconds
     * @throws MetricUnavailableException when no window has closed yet
     */
    @Override
    public CpuUsage collect() {
        CpuWindow window = sampler.latest().orElseThrow(() -> new MetricUnavailableException(
                "no CPU sample yet: the first window closes within " + sampler.interval().toMillis()
                        + " ms of the worker's start"));
        return new CpuUsage(window.percentUsed(), logicalCpus, window.windowSeconds());
    }
}
