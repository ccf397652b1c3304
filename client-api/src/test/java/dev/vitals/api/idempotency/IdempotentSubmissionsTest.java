package dev.vitals.api.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vitals.api.store.Database;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.store.StoredTask;
import dev.vitals.api.support.MutableClock;
import dev.vitals.api.support.TestApis;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The life of a key on the embedded store, time moved by hand: expiry, its purge, and a key left pending. */
class IdempotentSubmissionsTest {

    private static final Duration TTL = Duration.ofHours(24);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final String BODY = "{\"checks\": [\"cpu\"]}";

    @TempDir
    static Path directory;

    private static Database database;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));

    @BeforeAll
    static void open() {
        database = Database.open(TestApis.h2Url(directory));
    }

    @AfterAll
    static void close() {
        database.close();
    }

    private IdempotentSubmissions submissions() {
        return new IdempotentSubmissions(new JdbcIdempotencyStore(database.dataSource()),
                new JdbcTaskStore(database.dataSource()), clock, TTL, LEASE);
    }

    private static IdempotencyKey newKey() {
        return new IdempotencyKey("", UUID.randomUUID().toString());
    }

    private IdempotentSubmissions.Taken takeAndStore(IdempotentSubmissions submissions, IdempotencyKey key) {
        IdempotentSubmissions.Taken taken = (IdempotentSubmissions.Taken) submissions.begin(key, BODY);
        new JdbcTaskStore(database.dataSource()).insert(StoredTask.queued(taken.taskId(), TaskMessage.HEALTH_CHECK,
                Target.ANY, BODY, clock.instant(), clock.instant().plusSeconds(30), List.of()));
        submissions.accepted(taken);
        return taken;
    }

    @Test
    void anAcceptedKeyIsReplayedWithItsTaskUntilItExpires() {
        IdempotentSubmissions submissions = submissions();
        IdempotencyKey key = newKey();
        IdempotentSubmissions.Taken taken = takeAndStore(submissions, key);

        clock.advance(TTL.minusSeconds(1));
        assertThat(submissions.begin(key, BODY)).isInstanceOfSatisfying(IdempotentSubmissions.Replay.class,
                replay -> assertThat(replay.task().taskId()).isEqualTo(taken.taskId()));

        clock.advance(Duration.ofSeconds(1));
        assertThat(submissions.begin(key, "{}")).isInstanceOfSatisfying(IdempotentSubmissions.Taken.class,
                again -> assertThat(again.taskId()).isNotEqualTo(taken.taskId()));
    }

    @Test
    void expiredKeysArePurged() {
        IdempotentSubmissions submissions = submissions();
        IdempotencyKey old = newKey();
        takeAndStore(submissions, old);
        clock.advance(Duration.ofHours(1));
        IdempotencyKey recent = newKey();
        takeAndStore(submissions, recent);

        clock.advance(TTL.minus(Duration.ofMinutes(30)));
        assertThat(submissions.purge()).isGreaterThanOrEqualTo(1);

        assertThat(submissions.begin(recent, BODY)).isInstanceOf(IdempotentSubmissions.Replay.class);
        assertThat(submissions.begin(old, "{\"checks\": [\"disk\"]}")).isInstanceOf(IdempotentSubmissions.Taken.class);
    }

    @Test
    void aPendingKeyIsInProgressThenTakenOverOnceItsLeaseIsOver() {
        IdempotentSubmissions submissions = submissions();
        IdempotencyKey key = newKey();
        IdempotentSubmissions.Taken first = (IdempotentSubmissions.Taken) submissions.begin(key, BODY);

        assertThatThrownBy(() -> submissions.begin(key, BODY)).isInstanceOf(RequestInProgressException.class);

        clock.advance(LEASE);
        assertThat(submissions.begin(key, BODY)).isInstanceOfSatisfying(IdempotentSubmissions.Taken.class,
                again -> assertThat(again.taskId()).isNotEqualTo(first.taskId()));
    }

    @Test
    void aReleasedKeyIsFreeAtOnce() {
        IdempotentSubmissions submissions = submissions();
        IdempotencyKey key = newKey();
        submissions.failed((IdempotentSubmissions.Taken) submissions.begin(key, BODY));

        assertThat(submissions.begin(key, "{}")).isInstanceOf(IdempotentSubmissions.Taken.class);
    }

    @Test
    void anotherBodyIsRefusedEvenWhileTheFirstIsInProgress() {
        IdempotentSubmissions submissions = submissions();
        IdempotencyKey key = newKey();
        submissions.begin(key, BODY);

        assertThatThrownBy(() -> submissions.begin(key, "{}")).isInstanceOf(IdempotencyKeyReusedException.class);
    }

    @Test
    void theSameKeyInAnotherScopeIsAnotherKey() {
        IdempotentSubmissions submissions = submissions();
        String value = UUID.randomUUID().toString();
        takeAndStore(submissions, new IdempotencyKey("", value));

        assertThat(submissions.begin(new IdempotencyKey("a".repeat(64), value), "{}"))
                .isInstanceOf(IdempotentSubmissions.Taken.class);
    }
}
