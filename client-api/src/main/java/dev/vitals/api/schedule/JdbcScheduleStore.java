package dev.vitals.api.schedule;

import static dev.vitals.api.store.StoreSql.instant;
import static dev.vitals.api.store.StoreSql.setInstant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.store.StoreSql;
import dev.vitals.model.task.TaskRequest;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * {@link ScheduleStore} on the tasks' database (PostgreSQL, or H2 in PostgreSQL mode), table {@code schedules}
 * of migration V5. A schedule's checks and thresholds are kept as the JSON payload its runs publish.
 */
public final class JdbcScheduleStore implements ScheduleStore {

    private static final String COLUMNS = "name, target, request_json, interval_ms, enabled, source, next_run_at,"
            + " last_run_at, last_task_id, created_at, updated_at";

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    /**
     * @param dataSource connections to a database migrated by {@link dev.vitals.api.store.Database}
     * @param mapper     reads the stored payloads ({@link dev.vitals.model.json.VitalsJson})
     */
    public JdbcScheduleStore(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    @Override
    public void insert(StoredSchedule stored) {
        Schedule schedule = stored.schedule();
        try {
            update("store schedule " + schedule.name(), "INSERT INTO schedules (" + COLUMNS + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", statement -> {
                        statement.setString(1, schedule.name());
                        statement.setString(2, schedule.request().targetOrAny().value());
                        statement.setString(3, schedule.taskRequestJson(mapper));
                        statement.setLong(4, schedule.interval().toMillis());
                        statement.setBoolean(5, schedule.enabled());
                        statement.setString(6, stored.source().id());
                        setInstant(statement, 7, stored.nextRunAt());
                        setInstant(statement, 8, stored.lastRunAt());
                        statement.setObject(9, stored.lastTaskId());
                        setInstant(statement, 10, stored.createdAt());
                        setInstant(statement, 11, stored.updatedAt());
                    });
        } catch (IllegalArgumentException e) {
            if (StoreSql.isUniqueViolation(e)) {
                throw new ScheduleConflictException("a schedule named '" + schedule.name() + "' exists already;"
                        + " PUT /api/v1/schedules/" + schedule.name() + " replaces it", "name");
            }
            throw e;
        }
    }

    @Override
    public Optional<StoredSchedule> find(String name) {
        return StoreSql.run(dataSource, "read schedule " + name, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM schedules WHERE name = ?")) {
                statement.setString(1, name);
                return StoreSql.rows(statement, this::schedule).stream().findFirst();
            }
        });
    }

    @Override
    public List<StoredSchedule> list() {
        return StoreSql.run(dataSource, "list schedules", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM schedules ORDER BY name")) {
                return StoreSql.rows(statement, this::schedule);
            }
        });
    }

    @Override
    public boolean replace(Schedule schedule, ScheduleSource source, Instant expectedNextRunAt, Instant nextRunAt,
                           Instant updatedAt) {
        return update("replace schedule " + schedule.name(), "UPDATE schedules SET target = ?, request_json = ?,"
                + " interval_ms = ?, enabled = ?, source = ?, next_run_at = ?, updated_at = ?"
                + " WHERE name = ? AND next_run_at = ?", statement -> {
                    statement.setString(1, schedule.request().targetOrAny().value());
                    statement.setString(2, schedule.taskRequestJson(mapper));
                    statement.setLong(3, schedule.interval().toMillis());
                    statement.setBoolean(4, schedule.enabled());
                    statement.setString(5, source.id());
                    setInstant(statement, 6, nextRunAt);
                    setInstant(statement, 7, updatedAt);
                    statement.setString(8, schedule.name());
                    setInstant(statement, 9, expectedNextRunAt);
                }) == 1;
    }

    @Override
    public boolean delete(String name) {
        return update("delete schedule " + name, "DELETE FROM schedules WHERE name = ?",
                statement -> statement.setString(1, name)) == 1;
    }

    @Override
    public List<StoredSchedule> nextRuns(int max) {
        return StoreSql.run(dataSource, "find the next scheduled runs", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM schedules WHERE enabled ORDER BY next_run_at, name LIMIT ?")) {
                statement.setInt(1, max);
                return StoreSql.rows(statement, this::schedule);
            }
        });
    }

    @Override
    public boolean claim(String name, Instant dueAt, Instant nextRunAt, Instant runAt) {
        return update("claim the run of schedule " + name + " due at " + dueAt,
                "UPDATE schedules SET next_run_at = ?, last_run_at = ?, last_task_id = NULL"
                        + " WHERE name = ? AND next_run_at = ? AND enabled", statement -> {
                    setInstant(statement, 1, nextRunAt);
                    setInstant(statement, 2, runAt);
                    statement.setString(3, name);
                    setInstant(statement, 4, dueAt);
                }) == 1;
    }

    @Override
    public void recordTask(String name, Instant runAt, UUID taskId) {
        update("record the task of schedule " + name, "UPDATE schedules SET last_task_id = ?"
                + " WHERE name = ? AND last_run_at = ?", statement -> {
                    statement.setObject(1, taskId);
                    statement.setString(2, name);
                    setInstant(statement, 3, runAt);
                });
    }

    private StoredSchedule schedule(ResultSet rows) throws SQLException {
        TaskRequest request;
        try {
            request = mapper.readValue(rows.getString("request_json"), TaskRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("schedule " + rows.getString("name") + " holds a payload that cannot be"
                    + " read: " + e.getOriginalMessage(), e);
        }
        return new StoredSchedule(
                new Schedule(rows.getString("name"), request, Duration.ofMillis(rows.getLong("interval_ms")),
                        rows.getBoolean("enabled")),
                ScheduleSource.of(rows.getString("source")),
                Objects.requireNonNull(instant(rows, "next_run_at")),
                instant(rows, "last_run_at"),
                rows.getObject("last_task_id", UUID.class),
                Objects.requireNonNull(instant(rows, "created_at")),
                Objects.requireNonNull(instant(rows, "updated_at")));
    }

    private int update(String what, String sql, Binder binder) {
        return StoreSql.run(dataSource, what, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                return statement.executeUpdate();
            }
        });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }
}
