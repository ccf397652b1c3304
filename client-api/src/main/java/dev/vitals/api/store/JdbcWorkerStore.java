package dev.vitals.api.store;

import static dev.vitals.api.store.StoreSql.instant;
import static dev.vitals.api.store.StoreSql.setInstant;

import dev.vitals.model.HealthStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** {@link WorkerStore} on the same database as the tasks (PostgreSQL, or H2 in PostgreSQL mode). */
public final class JdbcWorkerStore implements WorkerStore {

    private static final String COLUMNS =
            "worker_id, hostname, version, started_at, last_seen, heartbeat_interval, last_status, stopped";

    private final DataSource dataSource;

    public JdbcWorkerStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * An update, else an insert; an insert that loses a race with another replica's insert becomes an
     * update. Written this way because H2 has no {@code ON CONFLICT … DO UPDATE}.
     */
    @Override
    public void seen(StoredWorker worker) {
        StoreSql.run(dataSource, "record worker " + worker.workerId(), connection -> {
            if (update(connection, worker) == 0) {
                try {
                    insert(connection, worker);
                } catch (SQLException e) {
                    if (!StoreSql.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                    update(connection, worker);
                }
            }
            return null;
        });
    }

    private static int update(Connection connection, StoredWorker worker) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("UPDATE workers SET hostname = ?, version = ?,"
                + " started_at = ?, last_seen = ?, heartbeat_interval = ?, last_status = COALESCE(?, last_status),"
                + " stopped = ? WHERE worker_id = ?")) {
            statement.setString(1, worker.hostname());
            statement.setString(2, worker.version());
            setInstant(statement, 3, worker.startedAt());
            setInstant(statement, 4, worker.lastSeen());
            statement.setLong(5, worker.heartbeatInterval().toMillis());
            statement.setString(6, worker.lastStatus() == null ? null : worker.lastStatus().id());
            statement.setBoolean(7, worker.stopped());
            statement.setString(8, worker.workerId());
            return statement.executeUpdate();
        }
    }

    private static void insert(Connection connection, StoredWorker worker) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO workers (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, worker.workerId());
            statement.setString(2, worker.hostname());
            statement.setString(3, worker.version());
            setInstant(statement, 4, worker.startedAt());
            setInstant(statement, 5, worker.lastSeen());
            statement.setLong(6, worker.heartbeatInterval().toMillis());
            statement.setString(7, worker.lastStatus() == null ? null : worker.lastStatus().id());
            statement.setBoolean(8, worker.stopped());
            statement.executeUpdate();
        }
    }

    @Override
    public void reported(String workerId, HealthStatus status) {
        StoreSql.run(dataSource, "record the status of worker " + workerId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE workers SET last_status = ? WHERE worker_id = ?")) {
                statement.setString(1, status.id());
                statement.setString(2, workerId);
                return statement.executeUpdate();
            }
        });
    }

    @Override
    public Optional<StoredWorker> find(String workerId) {
        return StoreSql.run(dataSource, "read worker " + workerId, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM workers WHERE worker_id = ?")) {
                statement.setString(1, workerId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(worker(rows)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public List<StoredWorker> seenSince(Instant since) {
        return StoreSql.run(dataSource, "list workers", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM workers WHERE last_seen >= ? ORDER BY worker_id")) {
                setInstant(statement, 1, since);
                return StoreSql.rows(statement, JdbcWorkerStore::worker);
            }
        });
    }

    @Override
    public int forgetSilentSince(Instant cutoff) {
        return StoreSql.run(dataSource, "forget silent workers", connection -> {
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM workers WHERE last_seen < ?")) {
                setInstant(statement, 1, cutoff);
                return statement.executeUpdate();
            }
        });
    }

    private static StoredWorker worker(ResultSet rows) throws SQLException {
        return new StoredWorker(
                rows.getString("worker_id"),
                rows.getString("hostname"),
                rows.getString("version"),
                Objects.requireNonNull(instant(rows, "started_at")),
                Objects.requireNonNull(instant(rows, "last_seen")),
                Duration.ofMillis(rows.getLong("heartbeat_interval")),
                status(rows.getString("last_status")),
                rows.getBoolean("stopped"));
    }

    private static @Nullable HealthStatus status(@Nullable String id) {
        return id == null ? null : HealthStatus.valueOf(id.toUpperCase(Locale.ROOT));
    }
}
