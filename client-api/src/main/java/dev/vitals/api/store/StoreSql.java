package dev.vitals.api.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The JDBC plumbing the stores share (this package's and those of other concepts, such as schedules): one
 * connection per unit of work, times as UTC milliseconds.
 */
public final class StoreSql {

    public static final String UNIQUE_VIOLATION = "23505";

    private StoreSql() {
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} on a connection of its own.
     *
     * @param what what is being done, for the message: "cannot {what}: {driver's reason}"
     * @throws StoreUnavailableException when the database cannot be reached or is not answering (worth a retry)
     * @throws IllegalArgumentException  when the database refused the data itself (a retry would fail again)
     */
    public static <T> T run(DataSource dataSource, String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            String message = "cannot " + what + ": " + e.getMessage();
            if (isUnavailable(e)) {
                throw new StoreUnavailableException(message, e);
            }
            throw new IllegalArgumentException(message, e);
        }
    }

    /** Whether the connection is to PostgreSQL (else H2 in PostgreSQL mode), for the statements they differ in. */
    public static boolean isPostgres(Connection connection) throws SQLException {
        return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
    }

    /**
     * Runs {@code work} in one transaction on a connection of its own: committed when it returns, rolled back
     * when it throws. Failures are thrown as {@link #run} throws them.
     */
    public static <T> T inTransaction(DataSource dataSource, String what, Work<T> work) {
        return run(dataSource, what, connection -> {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    connection.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }); // the pool sets auto-commit back when the connection returns to it
    }

    /**
     * Whether a failure is the database's state rather than the data's: connection errors (SQLState class
     * 08), resources (53), operator intervention such as a shutdown (57), a transaction to retry (40),
     * the driver's transient and recoverable failures, and H2's closed or broken database.
     */
    public static boolean isUnavailable(SQLException e) {
        if (e instanceof java.sql.SQLTransientException || e instanceof java.sql.SQLRecoverableException
                || e instanceof java.sql.SQLNonTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        if (state == null) {
            return true;
        }
        return state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("40")
                || H2_UNAVAILABLE.contains(state);
    }

    /**
     * Whether a failure means the connection itself is gone or was never had (SQLState class 08, the driver's
     * connection exceptions, H2's closed database), as opposed to a failure a retry on a good connection may
     * not repeat (a deadlock, a serialization failure, bad data).
     */
    static boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        return e instanceof java.sql.SQLTransientConnectionException
                || e instanceof java.sql.SQLNonTransientConnectionException
                || (state != null && (state.startsWith("08") || H2_UNAVAILABLE.contains(state)));
    }

    /** Whether {@code e}, as {@link #run} throws it, is the database refusing a duplicate key. */
    public static boolean isUniqueViolation(RuntimeException e) {
        return e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState());
    }

    /** H2's own codes for a database that is closed, broken or being shut down. */
    private static final java.util.Set<String> H2_UNAVAILABLE = java.util.Set.of("90098", "90067", "90121", "90020");

    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rows) throws SQLException;
    }

    /** Runs a prepared query and reads every row it returns, in order. */
    public static <T> List<T> rows(PreparedStatement statement, RowReader<T> reader) throws SQLException {
        List<T> read = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                read.add(reader.read(rows));
            }
        }
        return read;
    }

    public static @Nullable Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    /** As {@link #instant(ResultSet, String)}, by position (1 for the first column): no look-up of a name per row. */
    public static @Nullable Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime time = rows.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    public static void setInstant(PreparedStatement statement, int index, @Nullable Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC));
        }
    }
}
