package dev.vitals.api.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A schedule as the store keeps it, times at millisecond precision.
 *
 * @param schedule   its definition
 * @param source     who made it
 * @param nextRunAt  when its next run is due; moved on by the replica that claims a run
 * @param lastRunAt  when its last run was claimed (by the claiming replica's clock); null before the first
 * @param lastTaskId the task the last run created; null before the first, or when the last one created none
 * @param createdAt  when it was made
 * @param updatedAt  when its definition last changed
 */
public record StoredSchedule(
        Schedule schedule,
        ScheduleSource source,
        Instant nextRunAt,
        @Nullable Instant lastRunAt,
        @Nullable UUID lastTaskId,
        Instant createdAt,
        Instant updatedAt) {

    public StoredSchedule {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(nextRunAt, "nextRunAt");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public String name() {
        return schedule.name();
    }
}
