package dev.vitals.api.history;

import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the history reads of an ended task.
 *
 * @param workerId        the worker that took it, if one did
 * @param resultJson      a report, or for target {@code all} the combined reports; null unless completed
 * @param expectedWorkers for target {@code all}, the workers it was sent to
 * @param schedule        the schedule that created it; null on demand
 */
public record EndedTask(UUID taskId, Target target, TaskStatus status, Instant completedAt,
                        @Nullable String workerId, @Nullable String resultJson, List<String> expectedWorkers,
                        @Nullable String schedule) {

    public EndedTask {
        expectedWorkers = List.copyOf(expectedWorkers);
    }
}
