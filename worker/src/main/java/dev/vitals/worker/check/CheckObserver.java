package dev.vitals.worker.check;

import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import java.time.Duration;

/** Told of what {@link HealthCheck} measures and grades: the seam that metrics hang on. Must be quick and not throw. */
public interface CheckObserver {

    /** Observes nothing. */
    CheckObserver NONE = new CheckObserver() {
    };

    /**
     * A collector was read, once for all the tasks that share the reading.
     *
     * @param took how long the collector took
     */
    default void collected(CheckName check, Duration took) {
    }

    /**
     * A check was graded for one task.
     *
     * @param result the graded result, or the {@code unknown} one
     */
    default void graded(CheckName check, CheckResult result) {
    }
}
