package dev.vitals.api.stream;

import static dev.vitals.api.store.StoreSql.instant;
import static dev.vitals.api.store.StoreSql.setInstant;

import dev.vitals.api.alert.AlertStore;
import dev.vitals.api.state.JdbcStateStore;
import dev.vitals.api.store.StoreSql;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The stream's reads: ended tasks but canaries from {@code tasks} (by {@code completed_at}, which is indexed), the rest
 * from their stores.
 */
public final class JdbcStreamSources implements StreamSources {

    private final DataSource dataSource;
    private final JdbcStateStore states;
    private final AlertStore alerts;

    public JdbcStreamSources(DataSource dataSource, JdbcStateStore states, AlertStore alerts) {
        this.dataSource = dataSource;
        this.states = states;
        this.alerts = alerts;
    }

    @Override
    public List<TaskEnd> tasksEndedSince(Instant from, int limit) {
        return StoreSql.run(dataSource, "read the tasks ended since " + from, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT task_id, status, target, worker_id,"
                    + " schedule, completed_at FROM tasks WHERE completed_at >= ? AND NOT canary ORDER BY completed_at, task_id LIMIT ?")) {
                setInstant(select, 1, from);
                select.setInt(2, limit);
                return StoreSql.rows(select, rows -> new TaskEnd(rows.getObject(1, UUID.class), rows.getString(2),
                        rows.getString(3), rows.getString(4), rows.getString(5),
                        Objects.requireNonNull(instant(rows, "completed_at"))));
            }
        });
    }

    @Override
    public List<JdbcStateStore.Numbered> transitionsAfter(long id, int limit) {
        return states.transitionsAfter(id, limit);
    }

    @Override
    public long lastTransitionId() {
        return states.lastTransitionId();
    }

    @Override
    public List<AlertStore.Change> alertsChangedSince(Instant from, int limit) {
        return alerts.changedSince(from, limit);
    }
}
