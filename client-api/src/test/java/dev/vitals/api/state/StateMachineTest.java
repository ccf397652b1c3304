package dev.vitals.api.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.api.ApiConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StateMachineTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final ApiConfig.State RULES = ApiConfig.State.DEFAULTS;

    private ScopeState state = ScopeState.UNKNOWN;
    private final List<StateMachine.Changed> changes = new ArrayList<>();
    private int runs;

    private WorkerStatus run(boolean failure) {
        return run(failure, RULES);
    }

    private WorkerStatus run(boolean failure, ApiConfig.State rules) {
        Outcome outcome = new Outcome(failure, UUID.randomUUID(), T0.plusSeconds(30L * runs++),
                failure ? Reason.MISSING : Reason.status("healthy"));
        StateMachine.Step step = StateMachine.next(state, outcome, rules);
        state = step.state();
        step.change().ifPresent(changes::add);
        return state.status();
    }

    private static final boolean FAIL = true;
    private static final boolean PASS = false;

    @Test
    void isUnknownUntilTheFirstRun() {
        assertThat(ScopeState.UNKNOWN.status()).isEqualTo(WorkerStatus.UNKNOWN);
        assertThat(ScopeState.UNKNOWN.since()).isNull();
    }

    @Test
    void firstSuccessfulRunMakesItHealthy() {
        assertThat(run(PASS)).isEqualTo(WorkerStatus.HEALTHY);
        assertThat(changes).containsExactly(new StateMachine.Changed(WorkerStatus.UNKNOWN, WorkerStatus.HEALTHY, false));
        assertThat(state.since()).isEqualTo(T0);
    }

    @Test
    void oneFailureMakesItDegradedAndThreeUnhealthy() {
        run(PASS);
        assertThat(run(FAIL)).isEqualTo(WorkerStatus.DEGRADED);
        assertThat(run(FAIL)).isEqualTo(WorkerStatus.DEGRADED);
        assertThat(run(FAIL)).isEqualTo(WorkerStatus.UNHEALTHY);
        assertThat(state.consecutiveFailures()).isEqualTo(3);
        assertThat(changes).extracting(StateMachine.Changed::to)
                .containsExactly(WorkerStatus.HEALTHY, WorkerStatus.DEGRADED, WorkerStatus.UNHEALTHY);
    }

    @Test
    void oneGoodRunDoesNotEndAnIncident() {
        run(FAIL);
        run(FAIL);
        run(FAIL);
        assertThat(run(PASS)).isEqualTo(WorkerStatus.UNHEALTHY);
        assertThat(run(FAIL)).isEqualTo(WorkerStatus.UNHEALTHY);
        assertThat(run(PASS)).isEqualTo(WorkerStatus.UNHEALTHY);
        assertThat(run(PASS)).isEqualTo(WorkerStatus.HEALTHY);
        assertThat(state.consecutiveSuccesses()).isEqualTo(2);
    }

    @Test
    void degradedRecoversOnlyAfterTwoSuccesses() {
        run(PASS);
        run(FAIL);
        assertThat(run(PASS)).isEqualTo(WorkerStatus.DEGRADED);
        assertThat(run(PASS)).isEqualTo(WorkerStatus.HEALTHY);
    }

    @Test
    void failuresBelowDegradedAfterLeaveItHealthy() {
        ApiConfig.State lenient = new ApiConfig.State(2, 4, 1, 0.30, 0.25);
        assertThat(run(FAIL, lenient)).isEqualTo(WorkerStatus.HEALTHY);
        assertThat(run(FAIL, lenient)).isEqualTo(WorkerStatus.DEGRADED);
        assertThat(run(PASS, lenient)).isEqualTo(WorkerStatus.HEALTHY);
    }

    @Test
    void sinceIsWhenTheStatusBeganNotTheLatestRun() {
        run(PASS);
        run(FAIL);
        Instant degradedAt = state.lastRunAt();
        run(FAIL);
        assertThat(state.since()).isEqualTo(degradedAt);
        assertThat(state.lastRunAt()).isAfter(degradedAt);
    }

    @Test
    void aRunThatChangesNothingRecordsNoTransition() {
        run(PASS);
        changes.clear();
        run(PASS);
        run(PASS);
        assertThat(changes).isEmpty();
    }

    @Test
    void startsFlappingWhenMoreThanThirtyPercentOfTheLastTwentyRunsChangeOutcome() {
        for (int i = 0; i < 14; i++) {
            run(PASS);
        }
        // 6 changes over 20: 30 %, not above
        for (int i = 0; i < 3; i++) {
            run(FAIL);
            run(PASS);
        }
        assertThat(state.flapping()).isFalse();
        run(FAIL); // 7 changes: 35 %
        assertThat(state.flapping()).isTrue();
        assertThat(changes.getLast().flapping()).isTrue();
    }

    @Test
    void stopsFlappingOnlyBelowTwentyFivePercent() {
        for (int i = 0; i < 10; i++) {
            run(FAIL);
            run(PASS);
        }
        assertThat(state.flapping()).isTrue();
        int passes = 0;
        while (state.flapping() && passes < 30) {
            run(PASS);
            passes++;
            if (state.flapping()) {
                assertThat(changes(state.recent())).isGreaterThanOrEqualTo(5); // 25 % of 20
            }
        }
        assertThat(state.flapping()).isFalse();
        assertThat(changes(state.recent())).isLessThan(5);
        assertThat(changes.getLast()).isEqualTo(new StateMachine.Changed(WorkerStatus.HEALTHY, WorkerStatus.HEALTHY, false));
    }

    @Test
    void keepsOnlyTheRunsFlappingIsJudgedOn() {
        for (int i = 0; i < 50; i++) {
            run(i % 2 == 0);
        }
        assertThat(state.recent()).hasSize(StateMachine.RECENT_RUNS);
    }

    @Test
    void aNewWorkerDoesNotFlapAtOnce() {
        run(FAIL);
        run(PASS);
        run(FAIL);
        assertThat(state.flapping()).isFalse();
        assertThat(Optional.ofNullable(state.lastRunAt())).isPresent();
    }

    private static int changes(String recent) {
        int n = 0;
        for (int i = 1; i < recent.length(); i++) {
            n += recent.charAt(i) != recent.charAt(i - 1) ? 1 : 0;
        }
        return n;
    }
}
