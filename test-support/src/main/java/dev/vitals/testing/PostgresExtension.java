package dev.vitals.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a throwaway database on a real PostgreSQL: created before the class, dropped after it.
 * The server is {@code VITALS_TEST_PG_URL} when set, else {@value #DEFAULT_URL}; its user must be allowed to
 * create databases. Without a reachable PostgreSQL the class fails and says how to start one; it is never
 * skipped.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final PostgresExtension postgres = new PostgresExtension();
 * ... Database.open(postgres.jdbcUrl()) ...
 * </pre>
 *
 * <p>Another extension that needs the database before the class (and until after it) calls {@link #open()}
 * and {@link #close()} itself: the database is dropped when its last user closes it, whichever order JUnit
 * runs the extensions in.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    /** {@code jdbc:postgresql://host:port/}, then the database name, then the parameters. */
    private static final Pattern URL_PARTS = Pattern.compile("(jdbc:postgresql://[^/?]*/)([^?]*)(.*)");

    private String adminUrl;
    private String databaseName;
    private boolean created;
    private int users;

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        open();
    }

    /** Creates the database as {@code beforeAll} does; when it exists already, counts one more user of it. */
    public synchronized void open() {
        if (created) {
            users++;
            return;
        }
        String configured = System.getenv("VITALS_TEST_PG_URL");
        adminUrl = configured == null || configured.isBlank() ? DEFAULT_URL : configured;
        if (!URL_PARTS.matcher(adminUrl).matches()) {
            throw new IllegalStateException("VITALS_TEST_PG_URL must look like jdbc:postgresql://host:port/database?user=…");
        }
        databaseName = "vitals_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection connection = DriverManager.getConnection(adminUrl, timeouts());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + databaseName);
            created = true;
            users = 1;
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL is not reachable at " + redact(adminUrl) + " ("
                    + e.getMessage() + "). Start it with: pg_ctlcluster --skip-systemctl-redirect "
                    + "$(ls /etc/postgresql) main start (or set VITALS_TEST_PG_URL to a PostgreSQL whose user may "
                    + "create databases)", e);
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws SQLException {
        close();
    }

    /** Drops the database as {@code afterAll} does, once its last user (see {@link #open()}) closed it. */
    public synchronized void close() throws SQLException {
        if (created && --users == 0) {
            try (Connection connection = DriverManager.getConnection(adminUrl, timeouts());
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + databaseName + " WITH (FORCE)");
            }
            created = false;
        }
    }

    /** The JDBC URL of this class's database, with the server's parameters (user, password). */
    public String jdbcUrl() {
        if (!created) {
            throw new IllegalStateException("PostgresExtension has no database now: register it with "
                    + "@RegisterExtension on a static field");
        }
        Matcher parts = URL_PARTS.matcher(adminUrl);
        parts.matches();
        return parts.group(1) + databaseName + parts.group(3);
    }

    /**
     * Makes this class's database unreachable until the returned outage is closed: it stops accepting
     * connections ({@code ALLOW_CONNECTIONS false}) and every open connection to it is terminated, as when
     * the database server goes away. Closing the outage lets connections in again; use it in
     * try-with-resources so the database always comes back.
     */
    public Outage outage() throws SQLException {
        try (Connection connection = DriverManager.getConnection(adminUrl, timeouts());
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER DATABASE " + databaseName + " ALLOW_CONNECTIONS false");
            statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                    + databaseName + "' AND pid <> pg_backend_pid()");
        }
        return () -> {
            try (Connection connection = DriverManager.getConnection(adminUrl, timeouts());
                 Statement statement = connection.createStatement()) {
                statement.execute("ALTER DATABASE " + databaseName + " ALLOW_CONNECTIONS true");
            }
        };
    }

    /** A database outage in progress; {@link #close()} ends it. */
    @FunctionalInterface
    public interface Outage extends AutoCloseable {
        @Override
        void close() throws SQLException;
    }

    private static Properties timeouts() {
        Properties properties = new Properties();
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("loginTimeout", "5");
        return properties;
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
