package dev.vitals.api.state;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A change of a worker's state, or of one check's: its status, or whether it is flapping.
 *
 * @param workerId the worker
 * @param check    the check whose state changed; null for the worker's own state
 * @param from     the status before
 * @param to       the status after (the same as {@code from} when only flapping changed)
 * @param flapping whether it is flapping after the run
 * @param at       when the run's task ended
 * @param taskId   the run's task
 * @param reason   what the run showed
 */
public record Transition(String workerId, @Nullable String check, WorkerStatus from, WorkerStatus to,
                         boolean flapping, Instant at, UUID taskId, Reason reason) {
}
