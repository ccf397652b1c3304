package dev.vitals.api.alert;

import static dev.vitals.api.store.StoreSql.instant;
import static dev.vitals.api.store.StoreSql.setInstant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.store.StoreSql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Alerts, their notifications and silences in the store that holds the tasks. The methods that take a
 * {@link Connection} run inside the caller's transaction (the one that records a worker's state change, or
 * an {@link Alerting#tick() evaluation}); the others on a connection of their own.
 */
public final class AlertStore {

    private static final String ALERT_COLUMNS = "alert_id, worker_id, check_name, cause, status, opened_at,"
            + " resolved_at, reason, details_json, last_notified_at";

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    public AlertStore(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /** Runs {@code work} in a transaction of its own. */
    public <T> T inTransaction(String what, StoreSql.Work<T> work) {
        return StoreSql.inTransaction(dataSource, what, work);
    }

    /**
     * Waits for, then holds until the transaction ends, the one lock of alert evaluation: replicas open,
     * remind and resolve alerts one at a time, so that none opens an alert twice.
     */
    void lock(Connection tx) throws SQLException {
        try (Statement statement = tx.createStatement()) {
            statement.executeQuery("SELECT lock_id FROM alert_lock WHERE lock_id = 1 FOR UPDATE").close();
        }
    }

    Optional<StoredAlert> findOpen(Connection tx, String workerId, StoredAlert.Cause cause) throws SQLException {
        try (PreparedStatement statement = tx.prepareStatement("SELECT " + ALERT_COLUMNS
                + " FROM alerts WHERE status = 'open' AND worker_id = ? AND cause = ?")) {
            statement.setString(1, workerId);
            statement.setString(2, cause.id());
            return StoreSql.rows(statement, this::alert).stream().findFirst();
        }
    }

    /** Every open alert, oldest first. */
    List<StoredAlert> openAlerts(Connection tx) throws SQLException {
        try (PreparedStatement statement = tx.prepareStatement("SELECT " + ALERT_COLUMNS
                + " FROM alerts WHERE status = 'open' ORDER BY opened_at, alert_id")) {
            return StoreSql.rows(statement, this::alert);
        }
    }

    /** Opens an alert; returns it as stored. */
    StoredAlert open(Connection tx, String workerId, @Nullable String check, StoredAlert.Cause cause, Instant at,
                     String reason, StoredAlert.Details details) throws SQLException {
        try (PreparedStatement statement = tx.prepareStatement("INSERT INTO alerts (worker_id, check_name, cause,"
                + " status, opened_at, reason, details_json, changed_at) VALUES (?, ?, ?, 'open', ?, ?, ?, CURRENT_TIMESTAMP)",
                new String[] {"alert_id"})) {
            statement.setString(1, workerId);
            statement.setString(2, check == null ? "" : check);
            statement.setString(3, cause.id());
            setInstant(statement, 4, at);
            statement.setString(5, reason);
            statement.setString(6, json(details));
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                keys.next();
                long id = keys.getLong(1);
                return new StoredAlert(id, workerId, check, cause, true, at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                        null, reason, details, null, List.of());
            }
        }
    }

    void resolve(Connection tx, long alertId, Instant at) throws SQLException {
        try (PreparedStatement statement = tx.prepareStatement(
                "UPDATE alerts SET status = 'resolved', resolved_at = ?, changed_at = CURRENT_TIMESTAMP"
                        + " WHERE alert_id = ? AND status = 'open'")) {
            setInstant(statement, 1, at);
            statement.setLong(2, alertId);
            statement.executeUpdate();
        }
    }

    void notified(Connection tx, long alertId, Instant at) throws SQLException {
        try (PreparedStatement statement = tx.prepareStatement(
                "UPDATE alerts SET last_notified_at = ? WHERE alert_id = ?")) {
            setInstant(statement, 1, at);
            statement.setLong(2, alertId);
            statement.executeUpdate();
        }
    }

    /** Stores a notification for one channel, pending: due at once. */
    void addNotification(Connection tx, Notification notification, String channel) throws SQLException {
        try (PreparedStatement statement = tx.prepareStatement("INSERT INTO notifications (notification_id, alert_id,"
                + " channel, kind, status, created_at, next_attempt_at, body_json)"
                + " VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)")) {
            statement.setObject(1, notification.id());
            statement.setLong(2, notification.alert().id());
            statement.setString(3, channel);
            statement.setString(4, notification.kind().id());
            setInstant(statement, 5, notification.createdAt());
            setInstant(statement, 6, notification.createdAt());
            statement.setString(7, json(notification));
            statement.executeUpdate();
        }
    }

    /** The silences in force at {@code at}. */
    List<Silence> silencesAt(Connection tx, Instant at) throws SQLException {
        try (PreparedStatement statement = tx.prepareStatement(
                "SELECT * FROM silences WHERE starts_at <= ? AND ends_at > ?")) {
            setInstant(statement, 1, at);
            setInstant(statement, 2, at);
            return StoreSql.rows(statement, AlertStore::silence);
        }
    }

    /**
     * Alerts, newest first, with their notifications.
     *
     * @param open     true: only open ones; false: only resolved ones; null: both
     * @param workerId null: every worker's
     */
    public List<StoredAlert> list(@Nullable Boolean open, @Nullable String workerId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + ALERT_COLUMNS + " FROM alerts WHERE 1 = 1");
        if (open != null) {
            sql.append(open ? " AND status = 'open'" : " AND status = 'resolved'");
        }
        if (workerId != null) {
            sql.append(" AND worker_id = ?");
        }
        sql.append(" ORDER BY opened_at DESC, alert_id DESC LIMIT ?");
        return StoreSql.run(dataSource, "list alerts", connection -> {
            List<StoredAlert> alerts;
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                int index = 1;
                if (workerId != null) {
                    statement.setString(index++, workerId);
                }
                statement.setInt(index, limit);
                alerts = StoreSql.rows(statement, this::alert);
            }
            return withNotifications(connection, alerts);
        });
    }

    /** The number of open alerts of each worker that has any. */
    public Map<String, Integer> openByWorker() {
        return StoreSql.run(dataSource, "count the open alerts", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT worker_id, COUNT(*) FROM alerts WHERE status = 'open' GROUP BY worker_id");
                 ResultSet rows = statement.executeQuery()) {
                Map<String, Integer> open = new LinkedHashMap<>();
                while (rows.next()) {
                    open.put(rows.getString(1), rows.getInt(2));
                }
                return open;
            }
        });
    }

    /** An alert as it was just opened or resolved, and when the store wrote that ({@code changed_at}). */
    public record Change(StoredAlert alert, Instant at) {
    }

    /**
     * Alerts opened or resolved at or after {@code since} by the store's clock, in that order, without their
     * notifications; at most {@code limit}.
     */
    public List<Change> changedSince(Instant since, int limit) {
        return StoreSql.run(dataSource, "read the alerts changed since " + since, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT " + ALERT_COLUMNS
                    + ", changed_at FROM alerts WHERE changed_at >= ? ORDER BY changed_at, alert_id LIMIT ?")) {
                setInstant(statement, 1, since);
                statement.setInt(2, limit);
                return StoreSql.rows(statement, rows -> new Change(alert(rows), Objects.requireNonNull(instant(rows, "changed_at"))));
            }
        });
    }

    private List<StoredAlert> withNotifications(Connection connection, List<StoredAlert> alerts) throws SQLException {
        if (alerts.isEmpty()) {
            return alerts;
        }
        Map<Long, List<StoredAlert.Sent>> byAlert = new LinkedHashMap<>();
        alerts.forEach(alert -> byAlert.put(alert.id(), new ArrayList<>()));
        String marks = String.join(", ", java.util.Collections.nCopies(alerts.size(), "?"));
        try (PreparedStatement statement = connection.prepareStatement("SELECT notification_id, alert_id, channel,"
                + " kind, status, attempts, created_at, sent_at, error FROM notifications WHERE alert_id IN (" + marks
                + ") ORDER BY created_at, channel")) {
            for (int i = 0; i < alerts.size(); i++) {
                statement.setLong(i + 1, alerts.get(i).id());
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    byAlert.get(rows.getLong("alert_id")).add(new StoredAlert.Sent(
                            rows.getObject("notification_id", UUID.class), rows.getString("channel"),
                            rows.getString("kind"), rows.getString("status"), rows.getInt("attempts"),
                            instant(rows, "created_at"), instant(rows, "sent_at"), rows.getString("error")));
                }
            }
        }
        return alerts.stream().map(alert -> new StoredAlert(alert.id(), alert.workerId(), alert.check(), alert.cause(),
                alert.open(), alert.openedAt(), alert.resolvedAt(), alert.reason(), alert.details(),
                alert.lastNotifiedAt(), byAlert.get(alert.id()))).toList();
    }

    /** A pending notification claimed for sending. */
    record Claimed(UUID id, String channel, int attempts, Instant createdAt, Notification notification) {
    }

    /**
     * Claims up to {@code max} notifications that are due: each for this caller alone until {@code until}
     * (a caller that dies mid-send leaves it to be claimed again then), its attempts counted.
     */
    List<Claimed> claimDue(Instant now, Instant until, int max) {
        return StoreSql.run(dataSource, "claim due notifications", connection -> {
            List<UUID> candidates;
            try (PreparedStatement select = connection.prepareStatement("SELECT notification_id FROM notifications"
                    + " WHERE status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)"
                    + " ORDER BY next_attempt_at LIMIT ?")) {
                setInstant(select, 1, now);
                setInstant(select, 2, now);
                select.setInt(3, max);
                candidates = StoreSql.rows(select, rows -> rows.getObject(1, UUID.class));
            }
            List<Claimed> claimed = new ArrayList<>();
            try (PreparedStatement claim = connection.prepareStatement("UPDATE notifications"
                    + " SET claimed_until = ?, attempts = attempts + 1 WHERE notification_id = ? AND status = 'pending'"
                    + " AND (claimed_until IS NULL OR claimed_until <= ?)");
                 PreparedStatement read = connection.prepareStatement("SELECT channel, attempts, created_at, body_json"
                         + " FROM notifications WHERE notification_id = ?")) {
                for (UUID id : candidates) {
                    setInstant(claim, 1, until);
                    claim.setObject(2, id);
                    setInstant(claim, 3, now);
                    if (claim.executeUpdate() != 1) {
                        continue; // another replica claimed it first
                    }
                    read.setObject(1, id);
                    try (ResultSet rows = read.executeQuery()) {
                        if (rows.next()) {
                            claimed.add(new Claimed(id, rows.getString("channel"), rows.getInt("attempts"),
                                    instant(rows, "created_at"), notification(rows.getString("body_json"))));
                        }
                    }
                }
            }
            return claimed;
        });
    }

    void sent(UUID id, Instant at) {
        settle(id, "UPDATE notifications SET status = 'sent', sent_at = ?, error = NULL, claimed_until = NULL"
                + " WHERE notification_id = ?", at, null);
    }

    void failed(UUID id, String error) {
        settle(id, "UPDATE notifications SET status = 'failed', error = ?, claimed_until = NULL"
                + " WHERE notification_id = ?", null, error);
    }

    void retryAt(UUID id, Instant next, String error) {
        settle(id, "UPDATE notifications SET next_attempt_at = ?, error = ?, claimed_until = NULL"
                + " WHERE notification_id = ?", next, error);
    }

    private void settle(UUID id, String sql, @Nullable Instant at, @Nullable String error) {
        StoreSql.run(dataSource, "record the sending of notification " + id, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int index = 1;
                if (at != null) {
                    setInstant(statement, index++, at);
                }
                if (error != null) {
                    statement.setString(index++, error);
                }
                statement.setObject(index, id);
                return statement.executeUpdate();
            }
        });
    }

    public void insertSilence(Silence silence) {
        StoreSql.run(dataSource, "store silence " + silence.id(), connection -> {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO silences (silence_id,"
                    + " worker_id, check_name, starts_at, ends_at, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                statement.setObject(1, silence.id());
                statement.setString(2, silence.workerId());
                statement.setString(3, silence.check());
                setInstant(statement, 4, silence.startsAt());
                setInstant(statement, 5, silence.endsAt());
                statement.setString(6, silence.reason());
                setInstant(statement, 7, silence.createdAt());
                return statement.executeUpdate();
            }
        });
    }

    /** Silences that have not ended by {@code now}, soonest to start first. */
    public List<Silence> silences(Instant now) {
        return StoreSql.run(dataSource, "list silences", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT * FROM silences WHERE ends_at > ? ORDER BY starts_at, silence_id")) {
                setInstant(statement, 1, now);
                return StoreSql.rows(statement, AlertStore::silence);
            }
        });
    }

    public Optional<Silence> findSilence(UUID id) {
        return StoreSql.run(dataSource, "read silence " + id, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT * FROM silences WHERE silence_id = ?")) {
                statement.setObject(1, id);
                return StoreSql.rows(statement, AlertStore::silence).stream().findFirst();
            }
        });
    }

    /** @return false when there was no such silence */
    public boolean deleteSilence(UUID id) {
        return StoreSql.run(dataSource, "delete silence " + id, connection -> {
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM silences WHERE silence_id = ?")) {
                statement.setObject(1, id);
                return statement.executeUpdate() == 1;
            }
        });
    }

    /** Retention: deletes alerts resolved before {@code cutoff} (with their notifications) and silences ended then. */
    public int deleteEndedBefore(Instant cutoff) {
        return StoreSql.run(dataSource, "delete old alerts", connection -> {
            int deleted;
            try (PreparedStatement alerts = connection.prepareStatement(
                    "DELETE FROM alerts WHERE status = 'resolved' AND resolved_at < ?")) {
                setInstant(alerts, 1, cutoff);
                deleted = alerts.executeUpdate();
            }
            try (PreparedStatement silences = connection.prepareStatement("DELETE FROM silences WHERE ends_at < ?")) {
                setInstant(silences, 1, cutoff);
                silences.executeUpdate();
            }
            return deleted;
        });
    }

    private StoredAlert alert(ResultSet rows) throws SQLException {
        String check = rows.getString("check_name");
        return new StoredAlert(rows.getLong("alert_id"), rows.getString("worker_id"), check.isEmpty() ? null : check,
                StoredAlert.Cause.of(rows.getString("cause")), rows.getString("status").equals("open"),
                instant(rows, "opened_at"), instant(rows, "resolved_at"), rows.getString("reason"),
                read(rows.getString("details_json"), StoredAlert.Details.class), instant(rows, "last_notified_at"),
                List.of());
    }

    private static Silence silence(ResultSet rows) throws SQLException {
        return new Silence(rows.getObject("silence_id", UUID.class), rows.getString("worker_id"),
                rows.getString("check_name"), instant(rows, "starts_at"), instant(rows, "ends_at"),
                rows.getString("reason"), instant(rows, "created_at"));
    }

    private Notification notification(String json) {
        return read(json, Notification.class);
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored " + type.getSimpleName() + " is not readable: " + e.getMessage(), e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
