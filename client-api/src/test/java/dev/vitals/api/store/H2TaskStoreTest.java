package dev.vitals.api.store;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 file database, with the options of {@link Database#DEFAULT_URL}. */
class H2TaskStoreTest extends TaskStoreContract {

    @TempDir
    static Path directory;

    private static Database database;

    @BeforeAll
    static void openDatabase() {
        database = Database.open(embeddedUrl(directory), POOL_SIZE, Duration.ofSeconds(5));
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

    /** {@link Database#DEFAULT_URL} with its file in {@code directory}. */
    static String embeddedUrl(Path directory) {
        String url = Database.DEFAULT_URL.replace("./data/vitals", directory.resolve("vitals").toString());
        if (url.equals(Database.DEFAULT_URL)) {
            throw new IllegalStateException("DEFAULT_URL no longer names ./data/vitals: " + Database.DEFAULT_URL);
        }
        return url;
    }
}
