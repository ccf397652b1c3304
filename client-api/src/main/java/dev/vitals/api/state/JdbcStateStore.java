package dev.vitals.api.state;

import static dev.vitals.api.store.StoreSql.instant;
import static dev.vitals.api.store.StoreSql.setInstant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.ApiConfig;
import dev.vitals.api.store.StoreSql;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Workers' states in {@code worker_states} (scope {@code overall} for a worker's own, else a check's name) and
 * their changes in {@code worker_transitions}. {@link #apply} runs inside the history recorder's transaction,
 * which holds the recorder's lock row, so one replica at a time moves states.
 */
public final class JdbcStateStore implements StateStore {

    /** The scope of a worker's own state. */
    static final String OVERALL = "overall";
    /** The most workers read in one statement. */
    private static final int IN_LIST = 500;
    /** States upserted per statement on PostgreSQL (9 parameters each). */
    private static final int STATES_PER_STATEMENT = 1000;

    private final DataSource dataSource;
    private final ObjectMapper mapper;

    public JdbcStateStore(DataSource dataSource, ObjectMapper mapper) {
        this.dataSource = dataSource;
        this.mapper = mapper;
    }

    /**
     * Moves the states these outcomes concern, in their order, on {@code connection} (the caller commits), and
     * records the transitions they make.
     *
     * @return the transitions, in the order they happened
     */
    public List<Transition> apply(Connection connection, List<ScopedOutcome> outcomes, ApiConfig.State rules)
            throws SQLException {
        if (outcomes.isEmpty()) {
            return List.of();
        }
        Set<String> workers = new LinkedHashSet<>();
        outcomes.forEach(o -> workers.add(o.workerId()));
        Map<Key, ScopeState> before = load(connection, workers);
        Map<Key, ScopeState> after = new LinkedHashMap<>();
        List<Transition> transitions = new ArrayList<>();
        for (ScopedOutcome scoped : outcomes) {
            Key key = new Key(scoped.workerId(), scoped.check() == null ? OVERALL : scoped.check());
            ScopeState current = after.getOrDefault(key, before.getOrDefault(key, ScopeState.UNKNOWN));
            StateMachine.Step step = StateMachine.next(current, scoped.outcome(), rules);
            after.put(key, step.state());
            step.change().ifPresent(change -> transitions.add(new Transition(scoped.workerId(), scoped.check(),
                    change.from(), change.to(), change.flapping(), scoped.outcome().at(), scoped.outcome().taskId(),
                    scoped.outcome().reason())));
        }
        save(connection, after, before.keySet());
        insert(connection, transitions);
        return transitions;
    }

    private record Key(String workerId, String scope) {
    }

    private static Map<Key, ScopeState> load(Connection connection, Collection<String> workers) throws SQLException {
        Map<Key, ScopeState> states = new HashMap<>();
        List<String> all = List.copyOf(workers);
        for (int from = 0; from < all.size(); from += IN_LIST) {
            List<String> part = all.subList(from, Math.min(all.size(), from + IN_LIST));
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT worker_id, scope, status, since, consecutive_failures, consecutive_successes, flapping,"
                            + " last_run_at, recent FROM worker_states WHERE worker_id IN (" + marks(part.size()) + ")")) {
                for (int i = 0; i < part.size(); i++) {
                    select.setString(i + 1, part.get(i));
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        states.put(new Key(rows.getString(1), rows.getString(2)), state(rows));
                    }
                }
            }
        }
        return states;
    }

    private static void save(Connection connection, Map<Key, ScopeState> states, Set<Key> existing)
            throws SQLException {
        if (StoreSql.isPostgres(connection)) {
            upsert(connection, states);
            return;
        }
        // H2 (no ON CONFLICT … DO UPDATE), in process: a statement per state costs little
        try (PreparedStatement update = connection.prepareStatement("UPDATE worker_states SET status = ?, since = ?,"
                + " consecutive_failures = ?, consecutive_successes = ?, flapping = ?, last_run_at = ?, recent = ?"
                + " WHERE worker_id = ? AND scope = ?");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO worker_states (status, since,"
                     + " consecutive_failures, consecutive_successes, flapping, last_run_at, recent, worker_id, scope)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            boolean updates = false;
            boolean inserts = false;
            for (Map.Entry<Key, ScopeState> entry : states.entrySet()) {
                PreparedStatement statement = existing.contains(entry.getKey()) ? update : insert;
                ScopeState state = entry.getValue();
                statement.setString(1, state.status().id());
                setInstant(statement, 2, state.since());
                statement.setInt(3, state.consecutiveFailures());
                statement.setInt(4, state.consecutiveSuccesses());
                statement.setBoolean(5, state.flapping());
                setInstant(statement, 6, state.lastRunAt());
                statement.setString(7, state.recent());
                statement.setString(8, entry.getKey().workerId());
                statement.setString(9, entry.getKey().scope());
                statement.addBatch();
                if (statement == update) {
                    updates = true;
                } else {
                    inserts = true;
                }
            }
            if (updates) {
                update.executeBatch();
            }
            if (inserts) {
                insert.executeBatch();
            }
        }
    }

    /** PostgreSQL: every state in one statement per chunk (a round trip costs more than the rows in it). */
    private static void upsert(Connection connection, Map<Key, ScopeState> states) throws SQLException {
        List<Map.Entry<Key, ScopeState>> all = new ArrayList<>(states.entrySet());
        String row = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
        for (int from = 0; from < all.size(); from += STATES_PER_STATEMENT) {
            List<Map.Entry<Key, ScopeState>> chunk = all.subList(from, Math.min(all.size(), from + STATES_PER_STATEMENT));
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO worker_states (status, since,"
                    + " consecutive_failures, consecutive_successes, flapping, last_run_at, recent, worker_id, scope)"
                    + " VALUES " + String.join(", ", java.util.Collections.nCopies(chunk.size(), row))
                    + " ON CONFLICT (worker_id, scope) DO UPDATE SET status = EXCLUDED.status, since = EXCLUDED.since,"
                    + " consecutive_failures = EXCLUDED.consecutive_failures,"
                    + " consecutive_successes = EXCLUDED.consecutive_successes, flapping = EXCLUDED.flapping,"
                    + " last_run_at = EXCLUDED.last_run_at, recent = EXCLUDED.recent")) {
                int index = 1;
                for (Map.Entry<Key, ScopeState> entry : chunk) {
                    ScopeState state = entry.getValue();
                    upsert.setString(index++, state.status().id());
                    setInstant(upsert, index++, state.since());
                    upsert.setInt(index++, state.consecutiveFailures());
                    upsert.setInt(index++, state.consecutiveSuccesses());
                    upsert.setBoolean(index++, state.flapping());
                    setInstant(upsert, index++, state.lastRunAt());
                    upsert.setString(index++, state.recent());
                    upsert.setString(index++, entry.getKey().workerId());
                    upsert.setString(index++, entry.getKey().scope());
                }
                upsert.executeUpdate();
            }
        }
    }

    private void insert(Connection connection, List<Transition> transitions) throws SQLException {
        if (transitions.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO worker_transitions (worker_id, scope,"
                + " from_status, to_status, flapping, at, task_id, reason_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Transition transition : transitions) {
                insert.setString(1, transition.workerId());
                insert.setString(2, transition.check() == null ? OVERALL : transition.check());
                insert.setString(3, transition.from().id());
                insert.setString(4, transition.to().id());
                insert.setBoolean(5, transition.flapping());
                setInstant(insert, 6, transition.at());
                insert.setObject(7, transition.taskId());
                insert.setString(8, json(transition.reason()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @Override
    public Map<String, WorkerState> states(Collection<String> workerIds) {
        if (workerIds.isEmpty()) {
            return Map.of();
        }
        Map<Key, ScopeState> states = StoreSql.run(dataSource, "read workers' states",
                connection -> load(connection, workerIds));
        Map<String, ScopeState> overall = new HashMap<>();
        Map<String, Map<String, ScopeState>> checks = new HashMap<>();
        states.forEach((key, state) -> {
            if (key.scope().equals(OVERALL)) {
                overall.put(key.workerId(), state);
            } else {
                checks.computeIfAbsent(key.workerId(), w -> new HashMap<>()).put(key.scope(), state);
            }
        });
        Map<String, WorkerState> result = new HashMap<>();
        for (String worker : workerIds) {
            if (overall.containsKey(worker) || checks.containsKey(worker)) {
                result.put(worker, new WorkerState(overall.getOrDefault(worker, ScopeState.UNKNOWN),
                        checks.getOrDefault(worker, Map.of())));
            }
        }
        return result;
    }

    @Override
    public Map<String, WorkerStatus> statuses() {
        return StoreSql.run(dataSource, "read workers' statuses", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT worker_id, status FROM worker_states WHERE scope = '" + OVERALL + "'")) {
                Map<String, WorkerStatus> statuses = new HashMap<>();
                StoreSql.rows(select, rows -> statuses.put(rows.getString(1), WorkerStatus.of(rows.getString(2))));
                return statuses;
            }
        });
    }

    @Override
    public List<Transition> transitions(String workerId, int limit) {
        return StoreSql.run(dataSource, "read the transitions of worker " + workerId, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT worker_id, scope, from_status,"
                    + " to_status, flapping, at, task_id, reason_json FROM worker_transitions WHERE worker_id = ?"
                    + " ORDER BY at DESC, transition_id DESC LIMIT ?")) {
                select.setString(1, workerId);
                select.setInt(2, limit);
                return StoreSql.rows(select, rows -> transition(rows, 1));
            }
        });
    }

    /**
     * Transitions recorded after the one numbered {@code afterId}, in the order they were recorded, at most
     * {@code limit}. Transitions are recorded by one replica at a time (the recorder's lock row), so their numbers
     * grow in the order they became visible: reading on from the last number seen misses none.
     */
    public List<Numbered> transitionsAfter(long afterId, int limit) {
        return StoreSql.run(dataSource, "read the transitions after " + afterId, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT transition_id, worker_id, scope,"
                    + " from_status, to_status, flapping, at, task_id, reason_json FROM worker_transitions"
                    + " WHERE transition_id > ? ORDER BY transition_id LIMIT ?")) {
                select.setLong(1, afterId);
                select.setInt(2, limit);
                return StoreSql.rows(select, rows -> new Numbered(rows.getLong(1), transition(rows, 2)));
            }
        });
    }

    /**
     * A transition from the columns worker_id, scope, from_status, to_status, flapping, at, task_id and reason_json,
     * in that order from column {@code first}.
     */
    private Transition transition(ResultSet rows, int first) throws SQLException {
        String scope = rows.getString(first + 1);
        return new Transition(rows.getString(first), scope.equals(OVERALL) ? null : scope,
                WorkerStatus.of(rows.getString(first + 2)), WorkerStatus.of(rows.getString(first + 3)),
                rows.getBoolean(first + 4), Objects.requireNonNull(instant(rows, "at")),
                rows.getObject(first + 6, UUID.class), reason(rows.getString(first + 7)));
    }

    /** The number of the last transition recorded; 0 when none was. */
    public long lastTransitionId() {
        return StoreSql.run(dataSource, "read the last transition's number", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT COALESCE(MAX(transition_id), 0) FROM worker_transitions");
                 ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /** A transition with the number the store gave it. */
    public record Numbered(long id, Transition transition) {
    }

    /** Deletes transitions older than {@code cutoff}, at most {@code max}; returns how many. */
    public int deleteTransitionsBefore(java.time.Instant cutoff, int max) {
        return StoreSql.run(dataSource, "delete old transitions", connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM worker_transitions WHERE"
                    + " transition_id IN (SELECT transition_id FROM worker_transitions WHERE at < ? LIMIT ?)")) {
                setInstant(delete, 1, cutoff);
                delete.setInt(2, max);
                return delete.executeUpdate();
            }
        });
    }

    private static ScopeState state(ResultSet rows) throws SQLException {
        return new ScopeState(WorkerStatus.of(rows.getString("status")), instant(rows, "since"),
                rows.getInt("consecutive_failures"), rows.getInt("consecutive_successes"), rows.getBoolean("flapping"),
                instant(rows, "last_run_at"), rows.getString("recent"));
    }

    private String json(Reason reason) {
        try {
            return mapper.writeValueAsString(reason);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Reason reason(String json) {
        try {
            return mapper.readValue(json, Reason.class);
        } catch (JsonProcessingException e) {
            return Reason.status("unreadable");
        }
    }

    private static String marks(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }
}
