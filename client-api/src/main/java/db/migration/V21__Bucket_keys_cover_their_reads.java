package db.migration;

import dev.vitals.api.store.StoreSql;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On PostgreSQL, the primary keys of {@code history_buckets} and {@code history_days} carry every other column of
 * their rows ({@code INCLUDE}), so that reading a worker's buckets ({@code step=1h} or {@code 1d}, uptime) is an
 * index-only scan: one worker's buckets are consecutive index entries, whereas in the table each hour's rows of
 * every worker are written together, so a year of one worker's hourly buckets is a table page per bucket.
 * An index-only scan still reads the table for pages changed since the table was last vacuumed (autovacuum keeps
 * those to the latest hours and days).
 *
 * <p>The keys are rebuilt under a lock that holds the recorder and the history's readers until the index is built.
 * H2 cannot put columns in a primary key, and reads in process: it is left as it is. In Java for that reason: the
 * statements are PostgreSQL's only.
 */
public class V21__Bucket_keys_cover_their_reads extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        if (!StoreSql.isPostgres(context.getConnection())) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            for (String table : new String[] {"history_buckets", "history_days"}) {
                statement.execute("ALTER TABLE " + table + " DROP CONSTRAINT " + table + "_pkey,"
                        + " ADD CONSTRAINT " + table + "_pkey PRIMARY KEY (worker_id, check_name, bucket_start)"
                        + " INCLUDE (reports, n_ok, n_warning, n_error, n_unknown, value_count, value_sum, value_min,"
                        + " value_max, runs, failures)");
            }
        }
    }
}
