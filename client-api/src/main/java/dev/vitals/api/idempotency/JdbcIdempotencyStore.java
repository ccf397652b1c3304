package dev.vitals.api.idempotency;

import static dev.vitals.api.store.StoreSql.instant;
import static dev.vitals.api.store.StoreSql.setInstant;

import dev.vitals.api.store.StoreSql;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * An {@link IdempotencyStore} over plain JDBC, PostgreSQL or H2 in PostgreSQL mode, on {@code idempotency_keys}
 * (V24): its primary key (scope, key) is what makes a key taken once across replicas.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {

    private static final String PENDING = "pending";
    private static final String ACCEPTED = "accepted";

    private final DataSource dataSource;

    public JdbcIdempotencyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Optional<StoredKey> take(StoredKey key) {
        Optional<StoredKey> held = tryTake(key);
        // Gone between the insert and the read (expired and deleted): once more, as if it had not been there.
        return held.isPresent() && held.get() == GONE ? tryTake(key).filter(found -> found != GONE) : held;
    }

    /** Stands for a key that was held at the insert and gone at the read. */
    private static final StoredKey GONE = new StoredKey(new IdempotencyKey("", "-"), "", new UUID(0, 0), false,
            Instant.EPOCH, Instant.EPOCH);

    private Optional<StoredKey> tryTake(StoredKey key) {
        int inserted;
        try {
            inserted = StoreSql.run(dataSource, "take an idempotency key", connection -> {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO idempotency_keys (scope,"
                        + " idempotency_key, fingerprint, task_id, status, created_at, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    insert.setString(1, key.key().scope());
                    insert.setString(2, key.key().value());
                    insert.setString(3, key.fingerprint());
                    insert.setObject(4, key.taskId());
                    insert.setString(5, key.accepted() ? ACCEPTED : PENDING);
                    setInstant(insert, 6, key.createdAt());
                    setInstant(insert, 7, key.expiresAt());
                    return insert.executeUpdate();
                }
            });
        } catch (IllegalArgumentException e) {
            // Two inserts of one key at once: the other one took it.
            if (!StoreSql.isUniqueViolation(e)) {
                throw e;
            }
            inserted = 0;
        }
        if (inserted == 1) {
            return Optional.empty();
        }
        return Optional.of(find(key.key()).orElse(GONE));
    }

    private Optional<StoredKey> find(IdempotencyKey key) {
        return StoreSql.run(dataSource, "read an idempotency key", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT fingerprint, task_id, status,"
                    + " created_at, expires_at FROM idempotency_keys WHERE scope = ? AND idempotency_key = ?")) {
                select.setString(1, key.scope());
                select.setString(2, key.value());
                List<StoredKey> rows = StoreSql.rows(select, row -> new StoredKey(key, row.getString(1),
                        row.getObject(2, UUID.class), ACCEPTED.equals(row.getString(3)),
                        Objects.requireNonNull(instant(row, 4)), Objects.requireNonNull(instant(row, 5))));
                return rows.stream().findFirst();
            }
        });
    }

    @Override
    public boolean replace(StoredKey held, StoredKey replacement) {
        return StoreSql.run(dataSource, "replace an idempotency key", connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE idempotency_keys SET fingerprint = ?,"
                    + " task_id = ?, status = ?, created_at = ?, expires_at = ?"
                    + " WHERE scope = ? AND idempotency_key = ? AND task_id = ? AND status = ?")) {
                update.setString(1, replacement.fingerprint());
                update.setObject(2, replacement.taskId());
                update.setString(3, replacement.accepted() ? ACCEPTED : PENDING);
                setInstant(update, 4, replacement.createdAt());
                setInstant(update, 5, replacement.expiresAt());
                update.setString(6, held.key().scope());
                update.setString(7, held.key().value());
                update.setObject(8, held.taskId());
                update.setString(9, held.accepted() ? ACCEPTED : PENDING);
                return update.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean accept(StoredKey key) {
        return change(key, "accept an idempotency key", "UPDATE idempotency_keys SET status = '" + ACCEPTED + "'");
    }

    @Override
    public boolean release(StoredKey key) {
        return change(key, "release an idempotency key", "DELETE FROM idempotency_keys");
    }

    /** {@code statement} on the key's row while it is pending for the key's task. */
    private boolean change(StoredKey key, String what, String statement) {
        return StoreSql.run(dataSource, what, connection -> {
            try (PreparedStatement change = connection.prepareStatement(statement
                    + " WHERE scope = ? AND idempotency_key = ? AND task_id = ? AND status = '" + PENDING + "'")) {
                change.setString(1, key.key().scope());
                change.setString(2, key.key().value());
                change.setObject(3, key.taskId());
                return change.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int deleteExpired(Instant now, int max) {
        return StoreSql.run(dataSource, "delete expired idempotency keys", connection -> {
            // A bounded batch by the expiry index, in a form both databases take (no DELETE … LIMIT in PostgreSQL).
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM idempotency_keys WHERE"
                    + " (scope, idempotency_key) IN (SELECT scope, idempotency_key FROM idempotency_keys"
                    + " WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)")) {
                setInstant(delete, 1, now);
                delete.setInt(2, max);
                return delete.executeUpdate();
            }
        });
    }
}
