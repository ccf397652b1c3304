package dev.vitals.api.history;

import dev.vitals.api.ApiConfig;
import dev.vitals.api.state.JdbcStateStore;
import dev.vitals.api.state.Outcome;
import dev.vitals.api.state.Reason;
import dev.vitals.api.state.ScopedOutcome;
import dev.vitals.api.state.Transition;
import dev.vitals.api.store.StoreSql;
import dev.vitals.model.CheckName;
import dev.vitals.model.CheckStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records ended tasks as runs, on every replica, every {@code record-interval}: in one transaction that holds
 * the recorder's lock row, it reads the tasks that ended since the last recorded one (every
 * {@link #LOOK_BACK_INTERVAL} looking {@code overlap} further back, for tasks another replica committed late,
 * and never closer to now than {@code settle}), inserts
 * their runs (a task's runs are inserted together, keyed by task and worker, so a task is never recorded
 * twice), counts them into their hourly and daily buckets, moves the workers' states and records the transitions. A
 * replica killed mid-way loses nothing: its transaction rolls back and the next one, on any replica, records
 * the same tasks. Every {@link #RETENTION_INTERVAL} it also deletes, in bounded batches, runs past the raw
 * retention, buckets and transitions past the bucket retention. A failing pass is logged and the next runs as
 * planned.
 */
public final class HistoryRecorder implements AutoCloseable {

    /**
     * How often a pass looks back over the whole overlap; the others read only past the last recorded task. A
     * look-back re-reads every task of the overlap (thousands under load), so it is not done every second.
     */
    static final Duration LOOK_BACK_INTERVAL = Duration.ofSeconds(10);
    /** How often retention runs. */
    static final Duration RETENTION_INTERVAL = Duration.ofMinutes(1);
    /** Rows deleted per statement, and statements per retention pass for each table. */
    static final int DELETE_BATCH = 5_000;
    static final int DELETE_BATCHES = 20;

    private static final Logger log = LoggerFactory.getLogger(HistoryRecorder.class);

    private final JdbcHistoryStore history;
    private final JdbcStateStore states;
    private final RunsOfTask runsOfTask;
    private final ApiConfig.History settings;
    private final ApiConfig.State rules;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final Consumer<List<Transition>> transitionsRecorded;
    private final RecordingListener listener;
    private @Nullable ScheduledFuture<?> schedule;
    private @Nullable Instant nextRetention;
    private @Nullable Instant nextLookBack;

    /**
     * @param transitionsRecorded told of the transitions each committed pass recorded (on this replica)
     * @param listener            told of each pass's runs and transitions inside its transaction
     */
    public HistoryRecorder(JdbcHistoryStore history, JdbcStateStore states, RunsOfTask runsOfTask,
                           ApiConfig.History settings, ApiConfig.State rules, Clock clock,
                           ScheduledExecutorService scheduler, Consumer<List<Transition>> transitionsRecorded,
                           RecordingListener listener) {
        this.listener = listener;
        this.history = history;
        this.states = states;
        this.runsOfTask = runsOfTask;
        this.settings = settings;
        this.rules = rules;
        this.clock = clock;
        this.scheduler = scheduler;
        this.transitionsRecorded = transitionsRecorded;
    }

    /** Records every interval from now on. */
    public synchronized void start() {
        schedule = scheduler.scheduleWithFixedDelay(this::passAndLogFailures, settings.recordInterval().toMillis(),
                settings.recordInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What one transaction recorded. */
    public record Recorded(int tasks, int runs, List<Transition> transitions) {
    }

    /**
     * Records one batch of ended tasks; a full batch means more may be waiting.
     *
     * @return what it recorded
     */
    public Recorded recordOnce() {
        Instant now = clock.instant();
        Instant upTo = now.minus(settings.settle());
        boolean lookBack = nextLookBack == null || !now.isBefore(nextLookBack);
        Recorded recorded = StoreSql.inTransaction(history.dataSource(), "record ended tasks", connection -> {
            Instant cursor = history.lockCursor(connection);
            List<EndedTask> tasks = history.endedTasks(connection,
                    lookBack ? cursor.minus(settings.overlap()) : cursor, upTo, settings.batch());
            List<Run> runs = runsOfTask.runs(tasks);
            history.insert(connection, runs);
            List<Transition> transitions = states.apply(connection, outcomes(runs), rules);
            listener.recorded(connection, runs, transitions);
            Instant until = tasks.size() < settings.batch() ? upTo : tasks.getLast().completedAt();
            history.moveCursor(connection, until);
            return new Recorded(tasks.size(), runs.size(), transitions);
        });
        if (lookBack) {
            nextLookBack = now.plus(LOOK_BACK_INTERVAL);
        }
        if (!recorded.transitions().isEmpty()) {
            for (Transition t : recorded.transitions()) {
                log.info("Worker {}{}: {} -> {}{} (task {}, {})", t.workerId(), t.check() == null ? "" : " " + t.check(),
                        t.from().id(), t.to().id(), t.flapping() ? ", flapping" : "", t.taskId(), t.reason());
            }
            transitionsRecorded.accept(recorded.transitions());
        }
        return recorded;
    }

    /** Records until no ended task waits, at most {@code maxBatches} batches. */
    public void recordAll(int maxBatches) {
        for (int i = 0; i < maxBatches; i++) {
            if (recordOnce().tasks() < settings.batch()) {
                return;
            }
        }
    }

    /** Deletes what is past its retention, in bounded batches; returns how many rows. */
    public int applyRetention() {
        Instant now = clock.instant();
        int deleted = deleteAll(max -> history.deleteRunsBefore(now.minus(settings.rawRetention()), max));
        deleted += deleteAll(max -> history.deleteBucketsBefore(now.minus(settings.bucketRetention()), max));
        deleted += deleteAll(max -> states.deleteTransitionsBefore(now.minus(settings.bucketRetention()), max));
        return deleted;
    }

    private static int deleteAll(java.util.function.IntUnaryOperator deleteAtMost) {
        int total = 0;
        for (int i = 0; i < DELETE_BATCHES; i++) {
            int deleted = deleteAtMost.applyAsInt(DELETE_BATCH);
            total += deleted;
            if (deleted < DELETE_BATCH) {
                break;
            }
        }
        return total;
    }

    /**
     * The state outcomes of scheduled runs, in the order their tasks ended: each run moves its worker's state
     * (a missing report or an {@code error} report fails it) and the state of each check its report holds
     * (a check's {@code error} fails it). A missing report moves no check's state: no check ran.
     */
    static List<ScopedOutcome> outcomes(List<Run> runs) {
        List<ScopedOutcome> outcomes = new ArrayList<>();
        runs.stream().filter(Run::scheduled).sorted(Comparator.comparing(Run::at)).forEach(run -> {
            outcomes.add(new ScopedOutcome(run.workerId(), null,
                    new Outcome(run.failed(), run.taskId(), run.at(), overallReason(run))));
            run.checks().forEach((name, point) -> outcomes.add(new ScopedOutcome(run.workerId(), name.id(),
                    new Outcome(point.status() == CheckStatus.ERROR, run.taskId(), run.at(), reason(name, point)))));
        });
        return outcomes;
    }

    /** A missing report; else the first check in error (or, when none, in warning); else the report's status. */
    private static Reason overallReason(Run run) {
        if (run.isMissing()) {
            return Reason.MISSING;
        }
        for (CheckStatus worst : List.of(CheckStatus.ERROR, CheckStatus.WARNING)) {
            for (Map.Entry<CheckName, CheckPoint> check : run.checks().entrySet()) {
                if (check.getValue().status() == worst) {
                    return reason(check.getKey(), check.getValue());
                }
            }
        }
        return Reason.status(run.status().id());
    }

    private static Reason reason(CheckName name, CheckPoint point) {
        Double threshold = switch (point.status()) {
            case ERROR -> point.error();
            case WARNING -> point.warning();
            default -> null;
        };
        return new Reason(name.id(), point.value(), threshold, point.status().id(), null);
    }

    private void passAndLogFailures() {
        try {
            recordAll(10);
            Instant now = clock.instant();
            if (nextRetention == null || !now.isBefore(nextRetention)) {
                int deleted = applyRetention();
                if (deleted > 0) {
                    log.info("History retention deleted {} row(s)", deleted);
                }
                nextRetention = now.plus(RETENTION_INTERVAL);
            }
        } catch (RuntimeException e) {
            log.warn("Recording the history failed; next pass in {} ms: {}", settings.recordInterval().toMillis(),
                    e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        if (schedule != null) {
            schedule.cancel(false);
        }
    }
}
