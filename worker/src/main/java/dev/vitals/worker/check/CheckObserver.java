package dev.vitals.worker.check;

import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import java.time.Duration;

/** Told of every check {@link HealthCheck} runs: the seam that metrics hang on. Must be quick and not throw. */
@FunctionalInterface
public interface CheckObserver {

    /** Observes nothing. */
    CheckObserver NONE = (check, took, result) -> { };

    /**
     * @param took   how long measuring took (grading included)
     * @param result the graded result, or the {@code unknown} one
     */
    void measured(CheckName check, Duration took, CheckResult result);
}
