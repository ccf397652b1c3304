package dev.vitals.api.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task store's database: a connection pool over a JDBC URL, its schema brought up to date by the
 * Flyway migrations in {@code db/migration} when it opens. PostgreSQL ({@code jdbc:postgresql://…}) is for
 * several API replicas sharing one store; H2 ({@code jdbc:h2:…}, in PostgreSQL mode) is the embedded
 * default for a single one.
 *
 * <p>A commit is on the disk's side of the process before the call that made it returns: the API answers
 * {@code 202} for a task, and acknowledges a worker's report to the broker, only after its commit, so a
 * crash of the API process (SIGKILL, an out-of-memory kill) must not take back what a commit stored. H2
 * writes commits out up to {@code WRITE_DELAY} milliseconds later (500 by default), so every H2 URL is
 * opened with {@code WRITE_DELAY=0} unless it sets another value itself. PostgreSQL's default
 * ({@code synchronous_commit = on}) waits for the write-ahead log to be flushed; Vitals sets nothing that
 * weakens it, and warns when the server is configured with it {@code off}.
 */
public final class Database implements AutoCloseable {

    /** The embedded file database under {@code ./data}, used when no URL is configured. */
    public static final String DEFAULT_URL =
            "jdbc:h2:file:./data/vitals;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    /** Connections kept by the pool when not configured. */
    public static final int DEFAULT_POOL_SIZE = 10;
    /** How long a caller waits for a connection (and opening waits for the database) when not configured. */
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    /** The most connections one pool may hold. */
    public static final int MAX_POOL_SIZE = 200;
    /** The shortest connection timeout the pool accepts. */
    public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

    private static final Logger log = LoggerFactory.getLogger(Database.class);

    /** {@code password=…} as a URL parameter ({@code ?}, {@code &} or {@code ;} before it). */
    private static final Pattern PASSWORD_PARAMETER =
            Pattern.compile("(?i)([?&;][a-z_]*(?:password|pwd)=)[^&;]*");
    /** H2's PostgreSQL compatibility mode, which the store's SQL (ON CONFLICT, for one) needs. */
    private static final Pattern H2_POSTGRESQL_MODE = Pattern.compile("(?i);MODE=PostgreSQL(;|$)");
    /** H2's delay between a commit and its write to the file, in milliseconds. */
    private static final Pattern H2_WRITE_DELAY = Pattern.compile("(?i);WRITE_DELAY=([^;]*)(;|$)");
    /** {@code jdbc:postgresql://host[:port]/database}. */
    private static final Pattern POSTGRESQL_URL = Pattern.compile("^jdbc:postgresql://([^/:?]+)(?::(\\d+))?/([^?]*)");
    /** {@code user=…} as a URL parameter. */
    private static final Pattern USER_PARAMETER = Pattern.compile("[?&]user=([^&;]*)");
    /** {@code //user:password@host}. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@]*:)[^/@]*@");

    private final HikariDataSource dataSource;
    private final String safeUrl;

    private Database(HikariDataSource dataSource, String safeUrl) {
        this.dataSource = dataSource;
        this.safeUrl = safeUrl;
    }

    /**
     * Connects and migrates the schema.
     *
     * @param jdbcUrl           {@code jdbc:postgresql://…}, or {@code jdbc:h2:…} with the options of
     *                          {@link #DEFAULT_URL} (at least {@code MODE=PostgreSQL}); credentials included
     * @param poolSize          connections to keep, 1 to {@value #MAX_POOL_SIZE}
     * @param connectionTimeout how long to wait for a connection, at least {@link #MIN_CONNECTION_TIMEOUT};
     *                          also how long opening keeps trying to reach the database
     * @throws IllegalArgumentException  when a setting is not allowed
     * @throws StoreUnavailableException when the database cannot be reached or migrated; the message names
     *                                   the URL without its password, and the cause
     */
    public static Database open(String jdbcUrl, int poolSize, Duration connectionTimeout) {
        String safeUrl = redact(jdbcUrl);
        Optional<String> urlProblem = urlProblem(jdbcUrl);
        if (urlProblem.isPresent()) {
            throw new IllegalArgumentException("the store URL " + urlProblem.get() + ": correct"
                    + " VITALS_DB_URL (or vitals.api.store.url), for example"
                    + " jdbc:postgresql://HOST:5432/DATABASE?user=USER&password=PASSWORD");
        }
        if (jdbcUrl.startsWith("jdbc:h2:") && !H2_POSTGRESQL_MODE.matcher(jdbcUrl).find()) {
            throw new IllegalArgumentException("an H2 store URL must set ;MODE=PostgreSQL (the store's SQL is"
                    + " PostgreSQL's), as " + DEFAULT_URL + " does, got '" + safeUrl + "'");
        }
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException(
                    "the store's pool size must be between 1 and " + MAX_POOL_SIZE + ", got " + poolSize);
        }
        if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0) {
            throw new IllegalArgumentException("the store's connection timeout must be at least "
                    + MIN_CONNECTION_TIMEOUT.toMillis() + " ms, got " + connectionTimeout.toMillis() + " ms");
        }

        HikariConfig config = new HikariConfig();
        config.setPoolName("vitals-store");
        config.setJdbcUrl(jdbcUrl.startsWith("jdbc:h2:") ? h2WithCommitsWrittenAtOnce(jdbcUrl) : jdbcUrl);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setInitializationFailTimeout(connectionTimeout.toMillis());

        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot connect to the task store at " + safeUrl + ": "
                    + reason(e, jdbcUrl, safeUrl) + advice(e, jdbcUrl), e);
        }
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
            log.info("Task store ready at {} (schema version {}, {} migration(s) applied now)",
                    safeUrl, result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion,
                    result.migrationsExecuted);
            if (jdbcUrl.startsWith("jdbc:postgresql:")) {
                warnWhenCommitsAreNotFlushed(dataSource, safeUrl);
            }
        } catch (FlywayException e) {
            dataSource.close();
            throw new StoreUnavailableException("cannot migrate the task store at " + safeUrl + ": "
                    + reason(e, jdbcUrl, safeUrl) + advice(e, jdbcUrl), e);
        }
        return new Database(dataSource, safeUrl);
    }

    /**
     * What is wrong with {@code jdbcUrl} as a store URL, or empty when it names a database the store runs on
     * (PostgreSQL or H2): {@code must start with jdbc:postgresql: or jdbc:h2:, got '…'}, the URL without its password.
     */
    public static Optional<String> urlProblem(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
            return Optional.of("must start with jdbc:postgresql: or jdbc:h2:, got '" + redact(jdbcUrl) + "'");
        }
        return Optional.empty();
    }

    /** Opens with the default pool size and connection timeout. */
    public static Database open(String jdbcUrl) {
        return open(jdbcUrl, DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT);
    }

    /** Records the pool's metrics ({@code hikaricp_*}) through HikariCP's own seam, for example into Micrometer. */
    public void recordMetrics(com.zaxxer.hikari.metrics.MetricsTrackerFactory metrics) {
        dataSource.setMetricsTrackerFactory(metrics);
    }

    /** The pooled connections, for {@link JdbcTaskStore} and {@link JdbcWorkerStore}. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** The URL with its password replaced by {@code ***}, fit for logs and messages. */
    public String safeUrl() {
        return safeUrl;
    }

    /** Closes every connection; the store is unusable afterwards. */
    @Override
    public void close() {
        dataSource.close();
    }

    /**
     * An H2 URL with {@code ;WRITE_DELAY=0} added when it names no write delay: H2 then writes each commit
     * to its file before the commit returns, instead of up to half a second later. A URL that sets a delay
     * of its own keeps it, with a warning: commits answered in that window are lost when the process dies.
     */
    static String h2WithCommitsWrittenAtOnce(String jdbcUrl) {
        Matcher delay = H2_WRITE_DELAY.matcher(jdbcUrl);
        if (!delay.find()) {
            return jdbcUrl + ";WRITE_DELAY=0";
        }
        if (!delay.group(1).trim().equals("0")) {
            log.warn("The store URL sets WRITE_DELAY={}: H2 writes commits out that many milliseconds late, so"
                    + " tasks answered 202 and reports acknowledged in that window are lost if the API process"
                    + " dies. Remove WRITE_DELAY from the URL to have every commit written before it is answered.",
                    delay.group(1));
        }
        return jdbcUrl;
    }

    /** PostgreSQL with {@code synchronous_commit = off} may lose the last commits when the server crashes. */
    private static void warnWhenCommitsAreNotFlushed(DataSource dataSource, String safeUrl) {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet setting = statement.executeQuery("SHOW synchronous_commit")) {
            if (setting.next() && setting.getString(1).equalsIgnoreCase("off")) {
                log.warn("The store at {} runs with synchronous_commit = off: PostgreSQL answers a commit before"
                        + " it is flushed, so a server crash can lose tasks already answered 202. Set it to on"
                        + " (the default) for Vitals' database or role.", safeUrl);
            }
        } catch (SQLException e) {
            log.warn("Cannot read synchronous_commit of the store at {}: {}", safeUrl, e.getMessage());
        }
    }

    /**
     * What to do about a store that cannot be opened, from the driver's SQL state: {@code ; create it: …} for a
     * missing database, and so on; a hint to check the URL when the state says nothing specific.
     */
    static String advice(Throwable failure, String jdbcUrl) {
        SQLException deepest = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql) {
                deepest = sql;
            }
        }
        String state = deepest == null || deepest.getSQLState() == null ? "" : deepest.getSQLState();
        Matcher url = POSTGRESQL_URL.matcher(jdbcUrl);
        boolean postgres = url.find();
        String host = postgres ? url.group(1) : "HOST";
        String port = postgres && url.group(2) != null ? url.group(2) : "5432";
        String name = postgres && !url.group(3).isEmpty() ? url.group(3) : "DATABASE";
        Matcher user = USER_PARAMETER.matcher(jdbcUrl);
        String role = user.find() ? user.group(1) : "postgres";
        if (state.equals("3D000")) {
            return "; create it (createdb -h " + host + " -p " + port + " -U " + role + " " + name
                    + ") or name an existing database in VITALS_DB_URL";
        }
        if (state.equals("28P01") || state.equals("28000")) {
            return "; correct the user and password in VITALS_DB_URL (?user=USER&password=PASSWORD), or let that"
                    + " user in (PostgreSQL's pg_hba.conf)";
        }
        if (state.startsWith("08")) {
            return "; start PostgreSQL at " + host + ":" + port + ", or correct the host and port in VITALS_DB_URL";
        }
        if (state.equals("90020") || (state.equals("HYT00") && jdbcUrl.startsWith("jdbc:h2:"))) {
            return "; another process (an API already running?) holds this embedded database: stop it, or give"
                    + " this API another VITALS_DB_URL (several API replicas share a PostgreSQL store)";
        }
        return "; check VITALS_DB_URL (or vitals.api.store.url)";
    }

    /** {@code jdbcUrl} with any password in it replaced by {@code ***}. */
    public static String redact(String jdbcUrl) {
        String withoutParameter = PASSWORD_PARAMETER.matcher(jdbcUrl).replaceAll("$1***");
        return USER_INFO_PASSWORD.matcher(withoutParameter).replaceAll("$1***@");
    }

    /**
     * What actually went wrong, without the password: the message of the deepest {@link SQLException}
     * (the driver's own words, such as "Connection to host:port refused"), else of {@code e} itself.
     */
    private static String reason(Throwable e, String jdbcUrl, String safeUrl) {
        Throwable chosen = e;
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException) {
                chosen = cause;
            }
        }
        String message = chosen.getMessage() == null ? chosen.getClass().getName() : chosen.getMessage();
        return message.replace(jdbcUrl, safeUrl);
    }
}
