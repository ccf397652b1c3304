package dev.vitals.api.schedule;

import dev.vitals.api.store.Database;
import dev.vitals.testing.PostgresExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The schedule store contract on a real PostgreSQL, in a throwaway database of this class's own. */
class PostgresScheduleStoreTest extends ScheduleStoreContract {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static Database database;

    @BeforeAll
    static void openDatabase() {
        database = Database.open(postgres.jdbcUrl(), POOL_SIZE, Duration.ofSeconds(5));
    }

    @AfterAll
    static void closeDatabase() {
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected Database database() {
        return database;
    }
}
