package dev.vitals.api.state;

import org.jspecify.annotations.Nullable;

/**
 * A run's outcome for one state of a worker.
 *
 * @param check the check whose state it moves; null for the worker's own state
 */
public record ScopedOutcome(String workerId, @Nullable String check, Outcome outcome) {
}
