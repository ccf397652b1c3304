package dev.vitals.api.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Where schedules are kept, shared by every API replica. Changes that race with the runners' claims are
 * conditional on the {@code next_run_at} their caller read, as a claim is, so that a claim is never undone and
 * never made twice. Every method throws {@link dev.vitals.api.store.StoreUnavailableException} when the
 * database cannot be used.
 */
public interface ScheduleStore {

    /**
     * Stores a new schedule.
     *
     * @throws ScheduleConflictException when one with this name exists
     */
    void insert(StoredSchedule schedule);

    Optional<StoredSchedule> find(String name);

    /** Every schedule, by name. */
    List<StoredSchedule> list();

    /**
     * Replaces a schedule's definition and source, and sets its next run, if its next run is still
     * {@code expectedNextRunAt} (no replica claimed a run since it was read).
     *
     * @return whether it changed
     */
    boolean replace(Schedule schedule, ScheduleSource source, Instant expectedNextRunAt, Instant nextRunAt,
                    Instant updatedAt);

    /** @return whether there was such a schedule */
    boolean delete(String name);

    /** Up to {@code max} enabled schedules, earliest next run first. */
    List<StoredSchedule> nextRuns(int max);

    /**
     * Claims the run of an enabled schedule due at {@code dueAt}: moves its next run to {@code nextRunAt} and its
     * last run to {@code runAt}, if its next run is still {@code dueAt}. Of several replicas claiming the same
     * run, exactly one succeeds.
     *
     * @return whether this call claimed the run
     */
    boolean claim(String name, Instant dueAt, Instant nextRunAt, Instant runAt);

    /** Records the task of the run claimed at {@code runAt}, unless a later run was claimed since. */
    void recordTask(String name, Instant runAt, UUID taskId);
}
