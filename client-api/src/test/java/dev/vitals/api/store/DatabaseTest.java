package dev.vitals.api.store;

import dev.vitals.model.task.Target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vitals.model.task.TaskMessage;
import dev.vitals.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

    @TempDir
    Path directory;

    @Test
    void reportsAnUnreachableDatabaseClearlyAndQuickly() throws IOException {
        int closedPort = FreePorts.freePort();
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/vitals?user=vitals&password=s3cret";

        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> Database.open(url, 2, Duration.ofSeconds(1)))
                        .isInstanceOf(StoreUnavailableException.class)
                        .hasCauseInstanceOf(RuntimeException.class)
                        .hasMessageStartingWith("cannot connect to the task store at jdbc:postgresql://127.0.0.1:"
                                + closedPort + "/vitals?user=vitals&password=***: ")
                        .hasMessageContaining("refused")
                        .hasMessageNotContaining("s3cret"));
    }

    @Test
    void refusesAUrlOfAnotherDatabase() {
        assertThatThrownBy(() -> Database.open("jdbc:mysql://db/vitals?password=s3cret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the store URL must start with jdbc:postgresql: or jdbc:h2:, got"
                        + " 'jdbc:mysql://db/vitals?password=***': correct VITALS_DB_URL")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aUrlOfAnotherDatabaseIsAProblemNamedWithoutItsPassword() {
        assertThat(Database.urlProblem("jdbc:mysql://db/vitals?password=s3cret")).contains(
                "must start with jdbc:postgresql: or jdbc:h2:, got 'jdbc:mysql://db/vitals?password=***'");
    }

    @Test
    void postgresqlAndH2UrlsAreNoProblem() {
        assertThat(Database.urlProblem("jdbc:postgresql://db:5432/vitals")).isEmpty();
        assertThat(Database.urlProblem(Database.DEFAULT_URL)).isEmpty();
    }

    @Test
    void refusesAnH2UrlOutsidePostgresqlMode() {
        assertThatThrownBy(() -> Database.open("jdbc:h2:mem:vitals;DB_CLOSE_DELAY=-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MODE=PostgreSQL");
    }

    @Test
    void refusesAPoolSizeOutOfRange() {
        assertThatThrownBy(() -> Database.open(H2TaskStoreTest.embeddedUrl(directory), 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pool size must be between 1 and 200, got 0");
    }

    @Test
    void refusesAConnectionTimeoutBelowTheMinimum() {
        assertThatThrownBy(() -> Database.open(H2TaskStoreTest.embeddedUrl(directory), 2, Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 250 ms, got 10 ms");
    }

    @Test
    void reopeningAnEmbeddedDatabaseKeepsItsTasks() {
        String url = H2TaskStoreTest.embeddedUrl(directory);
        Instant created = Instant.parse("2026-11-22T10:15:30.123Z");
        StoredTask task = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ANY, "{}", created,
                created.plusSeconds(30), List.of());
        try (Database database = Database.open(url)) {
            new JdbcTaskStore(database.dataSource()).insert(task);
        }

        try (Database reopened = Database.open(url)) {
            assertThat(new JdbcTaskStore(reopened.dataSource()).find(task.taskId())).contains(task);
        }
    }

    @Test
    void anEmbeddedDatabaseWritesEveryCommitBeforeItReturns() throws SQLException {
        try (Database database = Database.open(H2TaskStoreTest.embeddedUrl(directory));
             Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet setting = statement.executeQuery(
                     "SELECT setting_value FROM information_schema.settings WHERE setting_name = 'WRITE_DELAY'")) {
            assertThat(setting.next()).isTrue();
            assertThat(setting.getString(1)).isEqualTo("0");
        }
    }

    @Test
    void aWriteDelayTheUrlSetsIsKept() {
        String url = H2TaskStoreTest.embeddedUrl(directory) + ";WRITE_DELAY=100";

        assertThat(Database.h2WithCommitsWrittenAtOnce(url)).isEqualTo(url);
        assertThat(Database.h2WithCommitsWrittenAtOnce(H2TaskStoreTest.embeddedUrl(directory)))
                .isEqualTo(H2TaskStoreTest.embeddedUrl(directory) + ";WRITE_DELAY=0");
    }

    @Test
    void aClosedDatabaseMakesTheStoreUnavailable() {
        Database database = Database.open(H2TaskStoreTest.embeddedUrl(directory));
        TaskStore store = new JdbcTaskStore(database.dataSource());
        database.close();

        assertThatThrownBy(store::ping)
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("cannot reach the task store: ")
                .hasCauseInstanceOf(java.sql.SQLException.class);
        assertThatThrownBy(() -> store.find(UUID.randomUUID()))
                .isInstanceOf(StoreUnavailableException.class);
    }

    @Test
    void redactsPasswordsFromUrls() {
        assertThat(Database.redact("jdbc:postgresql://db:5432/vitals?user=api&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/vitals?user=api&password=***&ssl=true");
        assertThat(Database.redact("jdbc:postgresql://db/vitals?password=s3cret"))
                .isEqualTo("jdbc:postgresql://db/vitals?password=***");
        assertThat(Database.redact("jdbc:postgresql://db/vitals?user=api&sslpassword=key"))
                .isEqualTo("jdbc:postgresql://db/vitals?user=api&sslpassword=***");
        assertThat(Database.redact("jdbc:h2:file:./data/vitals;USER=sa;PASSWORD=s3cret;MODE=PostgreSQL"))
                .isEqualTo("jdbc:h2:file:./data/vitals;USER=sa;PASSWORD=***;MODE=PostgreSQL");
        assertThat(Database.redact("jdbc:postgresql://api:s3cret@db/vitals"))
                .isEqualTo("jdbc:postgresql://api:***@db/vitals");
    }

    @Test
    void leavesAUrlWithoutPasswordAsItIs() {
        assertThat(Database.redact(Database.DEFAULT_URL)).isEqualTo(Database.DEFAULT_URL);
        assertThat(Database.redact("jdbc:postgresql://db:5432/vitals?user=api"))
                .isEqualTo("jdbc:postgresql://db:5432/vitals?user=api");
    }
}
