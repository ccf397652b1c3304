package dev.vitals.api.state;

import dev.vitals.api.ApiConfig;
import java.util.Optional;

/**
 * How one scheduled run moves a state: a pure function of the state before, the run's outcome and the rules.
 *
 * <ul>
 *   <li>{@code unknown} until the first run; a first run that does not reach {@code degraded-after} failures
 *       makes it {@code healthy}.</li>
 *   <li>{@code degraded-after} consecutive failures make it {@code degraded}, {@code unhealthy-after} make it
 *       {@code unhealthy}; failures never make it better.</li>
 *   <li>Back to {@code healthy} only after {@code recover-after} consecutive successes (hysteresis): a single
 *       good run between failures leaves the state where it is.</li>
 *   <li>Flapping, as Icinga judges it: the share of changes between a failed and a successful run among the
 *       last {@value ApiConfig.State#FLAPPING_WINDOW} runs (the changes between 21 consecutive outcomes, over
 *       20); above {@code flapping-start} it starts, below {@code flapping-end} it ends, in between it stays as
 *       it was. Fewer runs count as no change, so a new worker does not flap at once.</li>
 * </ul>
 */
public final class StateMachine {

    /** Outcomes kept: one more than the window, so that the window holds as many changes as runs. */
    public static final int RECENT_RUNS = ApiConfig.State.FLAPPING_WINDOW + 1;

    private StateMachine() {
    }

    /** The state after a run, and the transition it made, if it made one. */
    public record Step(ScopeState state, Optional<Changed> change) {
    }

    /** What changed: the status (from, to), or only whether it flaps. */
    public record Changed(WorkerStatus from, WorkerStatus to, boolean flapping) {
    }

    public static Step next(ScopeState before, Outcome run, ApiConfig.State rules) {
        int failures = run.failure() ? before.consecutiveFailures() + 1 : 0;
        int successes = run.failure() ? 0 : before.consecutiveSuccesses() + 1;
        WorkerStatus status = status(before.status(), failures, successes, rules);
        String recent = before.recent() + (run.failure() ? 'f' : 's');
        if (recent.length() > RECENT_RUNS) {
            recent = recent.substring(recent.length() - RECENT_RUNS);
        }
        double share = changes(recent) / (double) ApiConfig.State.FLAPPING_WINDOW;
        boolean flapping = before.flapping() ? share >= rules.flappingEnd() : share > rules.flappingStart();
        boolean statusChanged = status != before.status();
        ScopeState after = new ScopeState(status, statusChanged ? run.at() : before.since(), failures, successes,
                flapping, run.at(), recent);
        Optional<Changed> change = statusChanged || flapping != before.flapping()
                ? Optional.of(new Changed(before.status(), status, flapping))
                : Optional.empty();
        return new Step(after, change);
    }

    private static WorkerStatus status(WorkerStatus before, int failures, int successes, ApiConfig.State rules) {
        if (failures >= rules.unhealthyAfter()) {
            return WorkerStatus.UNHEALTHY;
        }
        if (failures >= rules.degradedAfter()) {
            return before == WorkerStatus.UNHEALTHY ? WorkerStatus.UNHEALTHY : WorkerStatus.DEGRADED;
        }
        if (before == WorkerStatus.UNKNOWN) {
            return WorkerStatus.HEALTHY;
        }
        if (before == WorkerStatus.HEALTHY) {
            return WorkerStatus.HEALTHY;
        }
        // degraded or unhealthy: a success that does not complete the recovery, or a failure below the thresholds
        return successes >= rules.recoverAfter() ? WorkerStatus.HEALTHY : before;
    }

    private static int changes(String outcomes) {
        int changes = 0;
        for (int i = 1; i < outcomes.length(); i++) {
            if (outcomes.charAt(i) != outcomes.charAt(i - 1)) {
                changes++;
            }
        }
        return changes;
    }
}
