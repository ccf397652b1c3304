package dev.vitals.worker.collect;

import dev.vitals.model.CheckName;
import dev.vitals.model.Measurement;

/**
 * Reads one metric from the machine. A collector only measures: it returns raw numbers and leaves
 * grading to {@link dev.vitals.worker.check.HealthCheck}. It may throw; the caller turns any exception
 * into an {@code unknown} check carrying the exception's message, so a collector does not catch to log.
 */
public interface Collector {

    /** The check this collector measures for. */
    CheckName check();

    /**
     * Measures now.
     *
     * @throws MetricUnavailableException when the metric cannot be read on this machine, with the reason
     */
    Measurement collect();
}
