package dev.vitals.api.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes that callers make at the same time are committed together, in one transaction: a commit that
 * is written out before it returns (see {@link Database}) costs far more than the statements in it, so
 * the store pays it once per batch instead of once per write.
 *
 * <p>There is no thread of its own. A caller queues its write and takes the lock; whoever holds it runs
 * every write queued so far and commits them, while the callers that arrive meanwhile queue up for the
 * next batch. A caller alone runs its write at once, in a batch of one. Each call returns only after the
 * transaction holding its write has committed, so what it answers is durable.
 *
 * <p>When any write of a batch fails, or the commit does, the batch is rolled back and each of its writes
 * runs again on its own, in its own transaction, so that one failing write (a duplicate key, a deadlock
 * between replicas) neither fails the others nor is hidden. When the database cannot be reached (no
 * connection, or a lost one), every write of the batch fails at once instead, as the store being away. Writes given here must therefore throw their
 * failures rather than catch them: on PostgreSQL a failed statement spoils the rest of its transaction.
 */
final class GroupCommit {

    /** The most writes committed together. */
    static final int MAX_BATCH = 128;

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    private final DataSource dataSource;
    private final ConcurrentLinkedQueue<Write<?>> queued = new ConcurrentLinkedQueue<>();
    private final ReentrantLock committing = new ReentrantLock();

    GroupCommit(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs {@code work} in a transaction shared with the writes of concurrent callers, and returns once that
     * transaction has committed. Throws as {@link StoreSql#run} does.
     */
    <T> T run(String what, StoreSql.Work<T> work) {
        Write<T> write = new Write<>(what, work);
        queued.add(write);
        while (!write.done) {
            committing.lock();
            try {
                if (!write.done) {
                    commitQueued();
                }
            } finally {
                committing.unlock();
            }
        }
        return write.outcome();
    }

    /** Whether a batch is being run and committed now (for tests). */
    boolean isCommitting() {
        return committing.isLocked();
    }

    /** How many writes wait for the next batch (for tests). */
    int queuedWrites() {
        return queued.size();
    }

    /** Runs and commits up to {@link #MAX_BATCH} queued writes; called with the lock held. */
    private void commitQueued() {
        List<Write<?>> batch = new ArrayList<>();
        for (Write<?> next; batch.size() < MAX_BATCH && (next = queued.poll()) != null; ) {
            batch.add(next);
        }
        if (batch.size() == 1) {
            batch.getFirst().runAlone(dataSource);
            return;
        }
        List<Object> results = new ArrayList<>(batch.size());
        boolean committed = false;
        SQLException lost = null; // the database away: each write alone would only wait for it again
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (Write<?> write : batch) {
                    results.add(write.work.run(connection));
                }
                connection.commit();
                committed = true;
            } catch (SQLException | RuntimeException e) {
                rollBack(connection);
                if (e instanceof SQLException sql && StoreSql.isConnectionLost(sql)) {
                    lost = sql;
                } else {
                    log.debug("A batch of {} writes failed ({}); each runs again on its own", batch.size(),
                            e.getMessage());
                }
            }
        } catch (SQLException e) {
            if (committed) {
                log.debug("Returning the connection of a committed batch failed: {}", e.getMessage());
            } else if (lost == null) {
                lost = e;
            }
        }
        if (committed) {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).succeeded(results.get(i));
            }
        } else if (lost != null) {
            for (Write<?> write : batch) {
                write.failed(new StoreUnavailableException("cannot " + write.what + ": " + lost.getMessage(), lost));
            }
        } else {
            for (Write<?> write : batch) {
                write.runAlone(dataSource);
            }
        }
    }

    private static void rollBack(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.debug("Rolling back a failed batch failed too: {}", e.getMessage());
        }
    }

    /** One caller's write, and what came of it once {@link #done}. */
    private static final class Write<T> {
        final String what;
        final StoreSql.Work<T> work;
        private @Nullable Object result;
        private @Nullable RuntimeException failure;
        volatile boolean done;

        Write(String what, StoreSql.Work<T> work) {
            this.what = what;
            this.work = work;
        }

        void runAlone(DataSource dataSource) {
            try {
                succeeded(StoreSql.run(dataSource, what, work));
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        void failed(RuntimeException e) {
            failure = e;
            done = true;
        }

        void succeeded(@Nullable Object value) {
            result = value;
            done = true;
        }

        @SuppressWarnings("unchecked")
        T outcome() {
            if (failure != null) {
                throw failure;
            }
            return (T) result;
        }
    }
}
