package dev.vitals.api.support;

import dev.vitals.model.task.Target;
import dev.vitals.api.store.StoredTask;
import dev.vitals.model.task.TaskMessage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Tasks for tests that work on the store directly. */
public final class TestTasks {

    private TestTasks() {
    }

    /** A new queued health check for any worker, created now (at the store's precision), due in 30 s. */
    public static StoredTask queuedNow() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ANY, "{}", now, now.plusSeconds(30),
                List.of());
    }
}
