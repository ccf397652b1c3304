package dev.vitals.cli;

import dev.vitals.model.HealthReport;
import dev.vitals.model.HealthStatus;
import java.util.List;

/** How a check through the API ended: with reports to show, or not carried out at all. */
public sealed interface CheckOutcome {

    /**
     * The task completed.
     *
     * @param taskJson        the task as the API returned it
     * @param status          the worst status over the reports
     * @param reports         one report per worker that answered
     * @param missingWorkers  workers a {@code target: all} task expected but did not hear from
     */
    record Completed(String taskJson, HealthStatus status, List<HealthReport> reports, List<String> missingWorkers)
            implements CheckOutcome {
    }

    /**
     * The check could not be carried out: the API was unreachable or refused, the task failed or expired,
     * or the time ran out.
     *
     * @param taskJson the task as the API last returned it, or null when there was none
     */
    record NotCarriedOut(String reason, @org.jspecify.annotations.Nullable String taskJson) implements CheckOutcome {
    }
}
