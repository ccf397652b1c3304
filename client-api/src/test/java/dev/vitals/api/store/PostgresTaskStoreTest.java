package dev.vitals.api.store;

import static org.assertj.core.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The store contract on a real PostgreSQL. Each run creates its own database {@code vitals_test_…} from
 * the one named by {@code VITALS_TEST_PG_URL} (else {@value #DEFAULT_URL}) and drops it afterwards.
 * When PostgreSQL cannot be reached, the tests fail and say how to start it: they are never skipped.
 */
class PostgresTaskStoreTest extends TaskStoreContract {

    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    /** {@code jdbc:postgresql://host:port/} then the database name, then the parameters. */
    private static final Pattern URL_PARTS = Pattern.compile("(jdbc:postgresql://[^/?]*/)([^?]*)(.*)");

    private static String adminUrl;
    private static String databaseName;
    private static boolean created;
    private static Database database;

    @BeforeAll
    static void createDatabase() throws SQLException {
        String configured = System.getenv("VITALS_TEST_PG_URL");
        adminUrl = configured == null || configured.isBlank() ? DEFAULT_URL : configured;
        databaseName = "vitals_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection connection = DriverManager.getConnection(adminUrl, timeouts());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + databaseName);
            created = true;
        } catch (SQLException e) {
            fail("PostgreSQL is not reachable at " + Database.redact(adminUrl) + " (" + e.getMessage() + ")."
                    + " Start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
                    + " (or set VITALS_TEST_PG_URL to a PostgreSQL whose user may create databases)", e);
        }
        database = Database.open(withDatabase(adminUrl, databaseName), POOL_SIZE, Duration.ofSeconds(5));
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        if (database != null) {
            database.close();
        }
        if (created) {
            try (Connection connection = DriverManager.getConnection(adminUrl, timeouts());
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
            }
        }
    }

    @Override
    protected Database database() {
        return database;
    }

    private static String withDatabase(String url, String name) {
        Matcher parts = URL_PARTS.matcher(url);
        if (!parts.matches()) {
            fail("VITALS_TEST_PG_URL must look like jdbc:postgresql://host:port/database?user=…, got "
                    + Database.redact(url));
        }
        return parts.group(1) + name + parts.group(3);
    }

    private static Properties timeouts() {
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "5");
        return properties;
    }
}
