package dev.vitals.api.state;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One scheduled run as the state sees it: it failed or it did not, when, and why.
 *
 * @param taskId the task the run was part of
 * @param at     when the task ended
 * @param reason what the run showed: the failing check, or a missing report
 */
public record Outcome(boolean failure, UUID taskId, Instant at, Reason reason) {

    public Outcome {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
    }
}
