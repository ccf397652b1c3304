package dev.vitals.api.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules as callers and the configuration see them: made, read, replaced and deleted through the HTTP API,
 * or declared in {@code vitals.api.schedules}. A new schedule's first run is due at once. A schedule the
 * configuration declares belongs to it: the HTTP API cannot replace or delete it (409), since the next start of
 * any replica would undo that; the configuration changes it.
 */
public final class ScheduleService {

    private static final Logger log = LoggerFactory.getLogger(ScheduleService.class);

    /** How often a change retries when runs are claimed while it is made (each claim moves the next run). */
    private static final int ATTEMPTS = 10;

    private final ScheduleStore store;
    private final Clock clock;
    private final Duration minInterval;

    /** @param minInterval the shortest interval a schedule may have */
    public ScheduleService(ScheduleStore store, Clock clock, Duration minInterval) {
        this.store = store;
        this.clock = clock;
        this.minInterval = minInterval;
    }

    /**
     * Makes a schedule from a request of the HTTP API.
     *
     * @throws dev.vitals.model.ValidationException when the request breaks a rule
     * @throws ScheduleConflictException           when the name is taken
     */
    public StoredSchedule create(ScheduleRequest request) {
        Schedule schedule = request.toSchedule(null, minInterval);
        Instant now = now();
        StoredSchedule stored = new StoredSchedule(schedule, ScheduleSource.API, now, null, null, now, now);
        store.insert(stored);
        log.info("Schedule '{}' created: target {} every {} s{}", schedule.name(), schedule.request().targetOrAny(),
                schedule.interval().toSeconds(), schedule.enabled() ? "" : " (disabled)");
        return stored;
    }

    public Optional<StoredSchedule> find(String name) {
        return store.find(name);
    }

    /** Every schedule, by name. */
    public List<StoredSchedule> list() {
        return store.list();
    }

    /**
     * Replaces a schedule made through the HTTP API.
     *
     * @throws ScheduleNotFoundException when there is none of this name
     * @throws ScheduleConflictException when the configuration declares it
     */
    public StoredSchedule replace(String name, ScheduleRequest request) {
        Schedule schedule = request.toSchedule(Schedule.requireName(name), minInterval);
        for (int attempt = 1; ; attempt++) {
            StoredSchedule current = store.find(name).orElseThrow(() -> new ScheduleNotFoundException(name));
            requireApiSource(current, "replaced");
            Optional<StoredSchedule> replaced = replace(current, schedule, ScheduleSource.API, now());
            if (replaced.isPresent()) {
                log.info("Schedule '{}' replaced: target {} every {} s{}", name, schedule.request().targetOrAny(),
                        schedule.interval().toSeconds(), schedule.enabled() ? "" : " (disabled)");
                return replaced.get();
            }
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("schedule '" + name + "' kept changing while being replaced");
            }
        }
    }

    /**
     * Deletes a schedule made through the HTTP API; the tasks its runs created stay.
     *
     * @throws ScheduleNotFoundException when there is none of this name
     * @throws ScheduleConflictException when the configuration declares it
     */
    public void delete(String name) {
        Schedule.requireName(name);
        StoredSchedule current = store.find(name).orElseThrow(() -> new ScheduleNotFoundException(name));
        requireApiSource(current, "deleted");
        if (!store.delete(name)) {
            throw new ScheduleNotFoundException(name);
        }
        log.info("Schedule '{}' deleted", name);
    }

    /**
     * Makes the store hold exactly the schedules the configuration declares, as each replica does at start: each
     * is created, or updated where it differs (a schedule of the same name made through the HTTP API becomes the
     * configuration's), and those declared by an earlier configuration and no longer are deleted.
     *
     * @param firstRunAfter how long after now the first run of a schedule created here is due (at most its
     *                      interval): time for a replica that just started to hear from the live workers, so that
     *                      a first run for target {@code all} does not fail for want of knowing them
     */
    public void declare(List<Schedule> declared, Duration firstRunAfter) {
        Set<String> names = new HashSet<>();
        for (Schedule schedule : declared) {
            names.add(schedule.name());
            declare(schedule, firstRunAfter);
        }
        for (StoredSchedule stored : store.list()) {
            if (stored.source() == ScheduleSource.CONFIG && !names.contains(stored.name())) {
                if (store.delete(stored.name())) {
                    log.info("Schedule '{}' deleted: the configuration (vitals.api.schedules) no longer declares it",
                            stored.name());
                }
            }
        }
    }

    private void declare(Schedule schedule, Duration firstRunAfter) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Instant now = now();
            Optional<StoredSchedule> current = store.find(schedule.name());
            if (current.isEmpty()) {
                try {
                    Duration delay = firstRunAfter.compareTo(schedule.interval()) < 0 ? firstRunAfter
                            : schedule.interval();
                    store.insert(new StoredSchedule(schedule, ScheduleSource.CONFIG, now.plus(delay), null, null, now,
                            now));
                    log.info("Schedule '{}' created as the configuration declares it: target {} every {} s{}",
                            schedule.name(), schedule.request().targetOrAny(), schedule.interval().toSeconds(),
                            schedule.enabled() ? "" : " (disabled)");
                    return;
                } catch (ScheduleConflictException e) {
                    continue; // another replica declared it meanwhile: compare with theirs
                }
            }
            StoredSchedule stored = current.get();
            if (stored.schedule().equals(schedule) && stored.source() == ScheduleSource.CONFIG) {
                log.debug("Schedule '{}' is as the configuration declares it", schedule.name());
                return;
            }
            if (replace(stored, schedule, ScheduleSource.CONFIG, now).isPresent()) {
                log.info("Schedule '{}' updated{} as the configuration declares it: target {} every {} s{}",
                        schedule.name(), stored.source() == ScheduleSource.API ? " (it was made through the HTTP API)"
                                : "", schedule.request().targetOrAny(), schedule.interval().toSeconds(),
                        schedule.enabled() ? "" : " (disabled)");
                return;
            }
        }
        throw new IllegalStateException("schedule '" + schedule.name() + "' kept changing while being declared");
    }

    /**
     * Replaces {@code current}'s definition if no run was claimed since it was read. Its next run stays, unless the
     * interval changed: then it is one new interval after the last run, or now when that is past.
     */
    private Optional<StoredSchedule> replace(StoredSchedule current, Schedule schedule, ScheduleSource source,
                                             Instant now) {
        Instant next = current.nextRunAt();
        if (!schedule.interval().equals(current.schedule().interval()) && current.lastRunAt() != null) {
            Instant fromLast = current.lastRunAt().plus(schedule.interval());
            next = fromLast.isAfter(now) ? fromLast : now;
        }
        if (!store.replace(schedule, source, current.nextRunAt(), next, now)) {
            return Optional.empty();
        }
        return Optional.of(new StoredSchedule(schedule, source, next, current.lastRunAt(), current.lastTaskId(),
                current.createdAt(), now));
    }

    private static void requireApiSource(StoredSchedule schedule, String verb) {
        if (schedule.source() == ScheduleSource.CONFIG) {
            throw new ScheduleConflictException("schedule '" + schedule.name() + "' is declared in the configuration"
                    + " of the API (vitals.api.schedules), which would undo the change at its next start: it can be "
                    + verb + " only there", null);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
