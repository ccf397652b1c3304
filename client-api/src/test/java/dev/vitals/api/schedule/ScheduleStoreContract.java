package dev.vitals.api.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vitals.api.store.Database;
import dev.vitals.model.CheckName;
import dev.vitals.model.Threshold;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ScheduleStore} does, whatever database is behind it. A subclass supplies one migrated
 * database per class; each test starts with no schedule. Times are fixed values, never the clock.
 */
abstract class ScheduleStoreContract {

    static final int POOL_SIZE = 8;

    private static final Instant T0 = Instant.parse("2026-11-22T10:15:30.123Z");
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    private ScheduleStore store;

    protected abstract Database database();

    @BeforeEach
    void emptyStore() throws SQLException {
        try (Connection connection = database().dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM schedules");
        }
        store = new JdbcScheduleStore(database().dataSource(), VitalsJson.newMapper());
    }

    private static Schedule schedule(String name) {
        return new Schedule(name, new TaskRequest(Target.ALL, List.of(CheckName.CPU, CheckName.DISK),
                Map.of(CheckName.DISK, new Threshold(70, 85)), null), INTERVAL, true);
    }

    private static StoredSchedule stored(Schedule schedule, ScheduleSource source, Instant nextRunAt) {
        return new StoredSchedule(schedule, source, nextRunAt, null, null, T0, T0);
    }

    @Test
    void anInsertedScheduleIsFoundAsItWasGiven() {
        StoredSchedule fleet = stored(schedule("fleet"), ScheduleSource.CONFIG, T0);

        store.insert(fleet);

        assertThat(store.find("fleet")).contains(fleet);
        assertThat(store.find("other")).isEmpty();
    }

    @Test
    void aSecondScheduleOfTheSameNameIsAConflictNamingTheField() {
        store.insert(stored(schedule("fleet"), ScheduleSource.API, T0));

        assertThatThrownBy(() -> store.insert(stored(schedule("fleet"), ScheduleSource.API, T0)))
                .isInstanceOfSatisfying(ScheduleConflictException.class, e -> assertThat(e.field()).isEqualTo("name"));
    }

    @Test
    void listingIsByName() {
        for (String name : List.of("b", "c", "a")) {
            store.insert(stored(schedule(name), ScheduleSource.API, T0));
        }

        assertThat(store.list()).extracting(StoredSchedule::name).containsExactly("a", "b", "c");
    }

    @Test
    void nextRunsAreTheEnabledSchedulesEarliestFirst() {
        store.insert(stored(schedule("late"), ScheduleSource.API, T0.plusSeconds(20)));
        store.insert(stored(schedule("early"), ScheduleSource.API, T0));
        Schedule off = new Schedule("off", schedule("off").request(), INTERVAL, false);
        store.insert(stored(off, ScheduleSource.API, T0.minusSeconds(60)));

        assertThat(store.nextRuns(10)).extracting(StoredSchedule::name).containsExactly("early", "late");
        assertThat(store.nextRuns(1)).extracting(StoredSchedule::name).containsExactly("early");
    }

    @Test
    void aClaimMovesTheNextRunAndRecordsTheRunOnlyFromTheNextRunItWasRead() {
        store.insert(stored(schedule("fleet"), ScheduleSource.API, T0));
        Instant runAt = T0.plusMillis(15);

        assertThat(store.claim("fleet", T0, T0.plus(INTERVAL), runAt)).isTrue();
        assertThat(store.claim("fleet", T0, T0.plus(INTERVAL), runAt)).as("the same run again").isFalse();

        StoredSchedule claimed = store.find("fleet").orElseThrow();
        assertThat(claimed.nextRunAt()).isEqualTo(T0.plus(INTERVAL));
        assertThat(claimed.lastRunAt()).isEqualTo(runAt);
    }

    @Test
    void aDisabledScheduleCannotBeClaimed() {
        Schedule off = new Schedule("off", schedule("off").request(), INTERVAL, false);
        store.insert(stored(off, ScheduleSource.API, T0));

        assertThat(store.claim("off", T0, T0.plus(INTERVAL), T0)).isFalse();
    }

    @Test
    void ofManyConcurrentClaimsOfOneRunExactlyOneSucceeds() throws Exception {
        store.insert(stored(schedule("fleet"), ScheduleSource.API, T0));
        ExecutorService callers = Executors.newFixedThreadPool(POOL_SIZE);
        try {
            List<Callable<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < POOL_SIZE * 2; i++) {
                claims.add(() -> store.claim("fleet", T0, T0.plus(INTERVAL), T0.plusMillis(1)));
            }
            int won = 0;
            for (Future<Boolean> claim : callers.invokeAll(claims)) {
                won += claim.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void theTaskOfARunIsRecordedUnlessALaterRunWasClaimedSince() {
        store.insert(stored(schedule("fleet"), ScheduleSource.API, T0));
        UUID first = UUID.randomUUID();
        store.claim("fleet", T0, T0.plus(INTERVAL), T0);
        store.recordTask("fleet", T0, first);
        assertThat(store.find("fleet").orElseThrow().lastTaskId()).isEqualTo(first);

        Instant second = T0.plus(INTERVAL);
        store.claim("fleet", second, second.plus(INTERVAL), second);
        assertThat(store.find("fleet").orElseThrow().lastTaskId()).as("a new run has no task yet").isNull();
        store.recordTask("fleet", T0, UUID.randomUUID());
        assertThat(store.find("fleet").orElseThrow().lastTaskId()).as("the older run's task comes too late").isNull();
    }

    @Test
    void aReplaceAppliesOnlyIfNoRunWasClaimedSinceTheScheduleWasRead() {
        store.insert(stored(schedule("fleet"), ScheduleSource.API, T0));
        Schedule changed = new Schedule("fleet", new TaskRequest(Target.ANY, null, null, null), Duration.ofSeconds(60),
                false);
        store.claim("fleet", T0, T0.plus(INTERVAL), T0);

        assertThat(store.replace(changed, ScheduleSource.CONFIG, T0, T0, T0.plusSeconds(1))).isFalse();
        assertThat(store.replace(changed, ScheduleSource.CONFIG, T0.plus(INTERVAL), T0.plusSeconds(60),
                T0.plusSeconds(1))).isTrue();

        StoredSchedule replaced = store.find("fleet").orElseThrow();
        assertThat(replaced.schedule()).isEqualTo(changed);
        assertThat(replaced.source()).isEqualTo(ScheduleSource.CONFIG);
        assertThat(replaced.nextRunAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(replaced.updatedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(replaced.createdAt()).isEqualTo(T0);
        assertThat(replaced.lastRunAt()).isEqualTo(T0);
    }

    @Test
    void aDeletedScheduleIsGone() {
        store.insert(stored(schedule("fleet"), ScheduleSource.API, T0));

        assertThat(store.delete("fleet")).isTrue();
        assertThat(store.delete("fleet")).isFalse();
        assertThat(store.find("fleet")).isEmpty();
    }
}
