package db.migration;

import dev.vitals.api.store.StoreSql;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * The primary key of {@code history_runs} starts with {@code run_at}: {@code (run_at, task_id, worker_id)} instead
 * of {@code (task_id, worker_id)}, and {@code history_runs_at_idx} goes, since the key's first column serves its
 * reads (the recorder's range of recorded tasks, retention).
 *
 * <p>Task ids are random, so a key that starts with one puts each new run on an index page of its own: the
 * recorder's pass of a few hundred runs changed a few hundred pages of the key, each written out again (on H2, at
 * every commit of the process while they are changed; on PostgreSQL, into the write-ahead log). Runs are recorded
 * in the order their tasks ended, so a key that starts with when they ran adds them at its end. A run's
 * {@code run_at} is its task's {@code completed_at}, the same for every run of a task, so the key still holds a
 * worker's part in a task once. In Java because H2 and PostgreSQL name and drop a primary key differently.
 */
public class V26__Runs_keyed_by_when_they_ran extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            if (StoreSql.isPostgres(context.getConnection())) {
                statement.execute("ALTER TABLE history_runs DROP CONSTRAINT history_runs_pkey,"
                        + " ADD CONSTRAINT history_runs_pkey PRIMARY KEY (run_at, task_id, worker_id)");
            } else {
                statement.execute("ALTER TABLE history_runs DROP PRIMARY KEY");
                statement.execute("ALTER TABLE history_runs ADD PRIMARY KEY (run_at, task_id, worker_id)");
            }
            statement.execute("DROP INDEX history_runs_at_idx");
        }
    }
}
