package dev.vitals.worker.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.model.HealthStatus;
import dev.vitals.model.event.WorkerHeartbeat.WorkerState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class WorkerHealthTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:15:30.123Z");

    private final AtomicBoolean connected = new AtomicBoolean(true);
    private final WorkerHealth health = new WorkerHealth(Clock.fixed(NOW, ZoneOffset.UTC), connected::get, 3);

    @Test
    void isStartingUntilStarted() {
        assertThat(health.state()).isEqualTo(WorkerState.STARTING);
        assertThat(health.snapshot().isUp()).isTrue();
    }

    @Test
    void isHealthyOnceStartedWithTheBroker() {
        health.started();

        assertThat(health.state()).isEqualTo(WorkerState.HEALTHY);
    }

    @Test
    void isDegradedWhileTheBrokerIsLost() {
        health.started();
        connected.set(false);

        assertThat(health.state()).isEqualTo(WorkerState.DEGRADED);
        assertThat(health.snapshot().isUp()).isFalse();
    }

    @Test
    void isDegradedAfterTooManyFailedChecksInARowAndRecoversOnSuccess() {
        health.started();
        health.recordCheck(HealthStatus.WARNING, false);
        health.recordCheck(HealthStatus.WARNING, false);
        assertThat(health.state()).isEqualTo(WorkerState.HEALTHY);

        health.recordCheck(null, false);
        assertThat(health.state()).isEqualTo(WorkerState.DEGRADED);

        health.recordCheck(HealthStatus.HEALTHY, true);
        assertThat(health.state()).isEqualTo(WorkerState.HEALTHY);
    }

    @Test
    void countsChecksAndErrorsAndRemembersTheLast() {
        health.started();
        health.recordCheck(HealthStatus.HEALTHY, true);
        health.recordCheck(HealthStatus.ERROR, false);

        WorkerHealth.Snapshot snapshot = health.snapshot();
        assertThat(snapshot.checkCount()).isEqualTo(2);
        assertThat(snapshot.errorCount()).isEqualTo(1);
        assertThat(snapshot.lastCheckSuccess()).isFalse();
        assertThat(snapshot.lastCheckTime()).isEqualTo(NOW);
        assertThat(health.lastStatus()).isEqualTo(HealthStatus.ERROR);
    }

    @Test
    void isStoppedOnceStopping() {
        health.started();
        health.stopping();

        assertThat(health.state()).isEqualTo(WorkerState.STOPPED);
        assertThat(health.snapshot().isUp()).isFalse();
    }
}
