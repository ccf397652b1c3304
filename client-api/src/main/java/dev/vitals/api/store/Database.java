package dev.vitals.api.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.time.Duration;
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
        if (!jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:h2:")) {
            throw new IllegalArgumentException(
                    "the store URL must start with jdbc:postgresql: or jdbc:h2:, got '" + safeUrl + "'");
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
        config.setJdbcUrl(jdbcUrl);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setConnectionTimeout(connectionTimeout.toMillis());
        config.setInitializationFailTimeout(connectionTimeout.toMillis());

        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot connect to the task store at " + safeUrl + ": "
                    + reason(e, jdbcUrl, safeUrl), e);
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
        } catch (FlywayException e) {
            dataSource.close();
            throw new StoreUnavailableException("cannot migrate the task store at " + safeUrl + ": "
                    + reason(e, jdbcUrl, safeUrl), e);
        }
        return new Database(dataSource, safeUrl);
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
