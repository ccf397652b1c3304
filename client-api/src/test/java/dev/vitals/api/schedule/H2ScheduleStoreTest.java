package dev.vitals.api.schedule;

import dev.vitals.api.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The schedule store contract on the embedded H2 file database, with the options of {@link Database#DEFAULT_URL}. */
class H2ScheduleStoreTest extends ScheduleStoreContract {

    @TempDir
    static Path directory;

    private static Database database;

    @BeforeAll
    static void openDatabase() {
        database = Database.open(Database.DEFAULT_URL.replace("./data/vitals", directory.resolve("vitals").toString()),
                POOL_SIZE, Duration.ofSeconds(5));
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
