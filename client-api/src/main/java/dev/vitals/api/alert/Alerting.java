package dev.vitals.api.alert;

import dev.vitals.api.history.Run;
import dev.vitals.api.state.Transition;
import dev.vitals.api.state.WorkerStatus;
import dev.vitals.api.worker.WorkerInfo;
import dev.vitals.model.CheckStatus;
import dev.vitals.api.worker.WorkerRegistry;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens, reminds and resolves alerts, and makes their notifications: one per channel, stored in the same
 * transaction as the change that causes them (an outbox that {@link NotificationSender} empties).
 *
 * <ul>
 *   <li>A worker whose state becomes {@code unhealthy} opens an alert; it resolves when the state is
 *       {@code healthy} again. One alert per worker: the checks that failed are in its details, and its
 *       {@code check} names the check when only one did.</li>
 *   <li>A worker that stops sending heartbeats without saying goodbye opens an alert; it resolves when
 *       the worker is alive again. Judged only by a replica that has been consuming the workers' events for
 *       a while, so that an API restart does not take every worker for gone.</li>
 *   <li>A worker whose state starts flapping opens a flapping alert, resolved when it stops.</li>
 *   <li>An open alert is notified again every {@link AlertSettings#repeatInterval()} (reminders), not at
 *       every failed run. A silenced alert is not notified; if it is still open when the silence ends, it
 *       is notified then. A resolution is notified only for an alert that was.</li>
 * </ul>
 *
 * Replicas evaluate one at a time (a lock row), so none opens or notifies an alert twice.
 */
public final class Alerting {

    private static final Logger log = LoggerFactory.getLogger(Alerting.class);
    /** How many of a worker's last runs a notification shows. */
    private static final int LAST_RUNS_SHOWN = 5;

    /** The overall statuses of a worker's last scheduled runs, oldest first, as the transaction sees them. */
    @FunctionalInterface
    public interface RecentRuns {
        RecentRuns NONE = (tx, workerId, limit) -> List.of();

        List<String> recent(Connection tx, String workerId, int limit) throws SQLException;
    }

    private final AlertStore store;
    private final AlertSettings settings;
    private final List<String> channels;
    private final WorkerRegistry workers;
    private final Duration livenessGrace;
    private final BooleanSupplier consumingEvents;
    private final Clock clock;
    private final RecentRuns recentRuns;
    private volatile @Nullable Instant consumingSince;
    private volatile int openAlerts;

    /**
     * @param channels        the names of the channels every notification goes to
     * @param livenessGrace   how long this replica must have been consuming the workers' events before it
     *                        judges a worker gone (a worker's heartbeats are missed for that long before it
     *                        counts as not alive)
     * @param consumingEvents whether this replica consumes the workers' events now
     * @param recentRuns      the statuses of a worker's last runs, which notifications cite
     */
    public Alerting(AlertStore store, AlertSettings settings, List<String> channels, WorkerRegistry workers,
                    Duration livenessGrace, BooleanSupplier consumingEvents, RecentRuns recentRuns, Clock clock) {
        this.recentRuns = recentRuns;
        this.store = store;
        this.settings = settings;
        this.channels = List.copyOf(channels);
        this.workers = workers;
        this.livenessGrace = livenessGrace;
        this.consumingEvents = consumingEvents;
        this.clock = clock;
    }

    /** How many alerts were open at the last evaluation. */
    public int openAlerts() {
        return openAlerts;
    }

    /**
     * What a pass of the history recorder recorded, in its transaction: each change of a worker's own state
     * opens or resolves its alert, and each start or end of flapping its flapping alert. The changes of one
     * check's state are not alerted on their own: the worker's alert names the checks that failed.
     */
    public void recorded(Connection tx, List<Run> runs, List<Transition> transitions) throws SQLException {
        for (Transition transition : transitions) {
            if (transition.check() != null) {
                continue;
            }
            Run run = runs.stream().filter(r -> r.taskId().equals(transition.taskId())
                    && r.workerId().equals(transition.workerId())).findFirst().orElse(null);
            String hostname = workers.find(transition.workerId()).map(WorkerInfo::hostname).orElse(null);
            if (transition.from() != transition.to()) {
                stateChanged(tx, new StateChange(transition.workerId(), hostname, transition.from().id(),
                        transition.to().id(), transition.at(), transition.taskId(), why(transition, run),
                        checks(run), recentRuns.recent(tx, transition.workerId(), LAST_RUNS_SHOWN)));
            }
            flappingChanged(tx, transition.workerId(), hostname, transition.flapping(), transition.at(),
                    transition.flapping()
                            ? "its runs keep changing between failed and successful (in its last 20 runs)"
                            : "its runs are steady again");
        }
    }

    /**
     * The run's failures in one line: the reasons its report gives for the checks in error, joined by {@code ; }
     * ({@code disk / is 97.1 % full (4.6 GB free of 160 GB), above the error threshold 95 %}), or, for a report
     * without reasons, {@code disk error at 97.1 (error at 95)}; or why the run counted as it did.
     */
    private static String why(Transition transition, @Nullable Run run) {
        if (run == null || run.isMissing()) {
            return Boolean.TRUE.equals(transition.reason().missing())
                    ? "no report before its task ended (the machine or the worker may be down)"
                    : "its last runs " + (transition.to() == WorkerStatus.HEALTHY ? "succeeded" : "failed");
        }
        List<String> failed = new ArrayList<>();
        run.checks().forEach((name, point) -> {
            if (point.status() == CheckStatus.ERROR) {
                failed.add(point.reason() != null ? point.reason()
                        : name.id() + " error at " + NotificationText.number(point.value()) + " (error at "
                                + NotificationText.number(point.error()) + ")");
            }
        });
        if (!failed.isEmpty()) {
            return String.join("; ", failed);
        }
        return transition.to() == WorkerStatus.HEALTHY ? "its last runs succeeded"
                : "its report says " + (run.status() == null ? "nothing" : run.status().id());
    }

    private static List<Notification.CheckDetail> checks(@Nullable Run run) {
        if (run == null) {
            return List.of();
        }
        return run.checks().entrySet().stream()
                .filter(entry -> entry.getValue().status() == CheckStatus.ERROR
                        || entry.getValue().status() == CheckStatus.WARNING)
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> new Notification.CheckDetail(entry.getKey().id(), entry.getValue().status().id(),
                        entry.getValue().value(), entry.getValue().warning(), entry.getValue().error(),
                        entry.getValue().reason()))
                .toList();
    }

    /**
     * A worker's overall state changed. Call it in the transaction that records the change.
     *
     * @param change what changed, and why
     */
    public void stateChanged(Connection tx, StateChange change) throws SQLException {
        if (!change.to().equals("unhealthy") && !change.to().equals("healthy")) {
            return; // degraded and unknown neither open nor resolve
        }
        store.lock(tx);
        Optional<StoredAlert> open = store.findOpen(tx, change.workerId(), StoredAlert.Cause.UNHEALTHY);
        if (change.to().equals("unhealthy") && open.isEmpty()) {
            StoredAlert alert = store.open(tx, change.workerId(), change.singleCheck(), StoredAlert.Cause.UNHEALTHY,
                    change.at(), change.reason(), change.details());
            log.warn("Alert {} opened: worker {} is unhealthy: {}", alert.id(), change.workerId(), change.reason());
            notifyOpen(tx, alert, Notification.Kind.OPENED, change.at());
        } else if (change.to().equals("healthy") && open.isPresent()) {
            resolve(tx, open.get(), change.at(), "healthy again: " + change.reason(), change.details());
        }
    }

    /** A worker's state started or stopped flapping. Call it in the transaction that records the change. */
    public void flappingChanged(Connection tx, String workerId, @Nullable String hostname, boolean started,
                                Instant at, String reason) throws SQLException {
        store.lock(tx);
        Optional<StoredAlert> open = store.findOpen(tx, workerId, StoredAlert.Cause.FLAPPING);
        StoredAlert.Details details = new StoredAlert.Details(hostname, List.of(), List.of(), null);
        if (started && open.isEmpty()) {
            StoredAlert alert = store.open(tx, workerId, null, StoredAlert.Cause.FLAPPING, at,
                    "flapping: " + reason, details);
            log.warn("Alert {} opened: worker {} is flapping: {}", alert.id(), workerId, reason);
            notifyOpen(tx, alert, Notification.Kind.FLAPPING, at);
        } else if (!started && open.isPresent()) {
            store.resolve(tx, open.get().id(), at);
            log.info("Alert {} resolved: worker {} stopped flapping", open.get().id(), workerId);
            if (open.get().lastNotifiedAt() != null && !silenced(tx, open.get(), at)) {
                notifyAll(tx, resolved(open.get(), at, "stopped flapping: " + reason, details),
                        Notification.Kind.FLAPPING, at);
            }
        }
    }

    /**
     * Opens and resolves the alerts about workers that stopped sending heartbeats, notifies open alerts
     * whose reminder is due or whose silence ended, and counts the open ones. Runs every second or so on
     * every replica; they take turns.
     */
    public void tick() {
        Instant now = now();
        boolean judgeLiveness = judgesLiveness(now);
        List<WorkerInfo> gone = judgeLiveness ? workers.gone() : List.of();
        openAlerts = store.inTransaction("evaluate alerts", tx -> {
            store.lock(tx);
            if (judgeLiveness) {
                liveness(tx, gone, now);
            }
            List<StoredAlert> open = store.openAlerts(tx);
            List<Silence> silences = store.silencesAt(tx, now);
            for (StoredAlert alert : open) {
                if (alert.cause() == StoredAlert.Cause.FLAPPING || covered(silences, alert, now)) {
                    continue;
                }
                if (alert.lastNotifiedAt() == null) {
                    notifyAll(tx, notice(alert, alert.reason(), alert.details()), Notification.Kind.OPENED, now);
                    store.notified(tx, alert.id(), now);
                } else if (!settings.repeatInterval().isZero()
                        && !alert.lastNotifiedAt().plus(settings.repeatInterval()).isAfter(now)) {
                    notifyAll(tx, notice(alert, alert.reason(), alert.details()), Notification.Kind.REMINDER, now);
                    store.notified(tx, alert.id(), now);
                }
            }
            return open.size();
        });
    }

    private boolean judgesLiveness(Instant now) {
        if (!consumingEvents.getAsBoolean()) {
            consumingSince = null;
            return false;
        }
        Instant since = consumingSince;
        if (since == null) {
            consumingSince = now;
            return false;
        }
        return !since.plus(livenessGrace).isAfter(now);
    }

    private void liveness(Connection tx, List<WorkerInfo> gone, Instant now) throws SQLException {
        Set<String> goneIds = new HashSet<>();
        for (WorkerInfo worker : gone) {
            goneIds.add(worker.workerId());
            if (store.findOpen(tx, worker.workerId(), StoredAlert.Cause.NOT_ALIVE).isEmpty()) {
                String reason = "no heartbeat since " + worker.lastSeen().truncatedTo(ChronoUnit.SECONDS)
                        + " (the machine, the worker or the network to the broker is down)";
                StoredAlert alert = store.open(tx, worker.workerId(), null, StoredAlert.Cause.NOT_ALIVE, now, reason,
                        new StoredAlert.Details(worker.hostname(), List.of(), List.of(), null));
                log.warn("Alert {} opened: worker {} sends no heartbeats: {}", alert.id(), worker.workerId(), reason);
                notifyOpen(tx, alert, Notification.Kind.OPENED, now);
            }
        }
        Map<String, WorkerInfo> listed = new HashMap<>();
        workers.workers().forEach(worker -> listed.put(worker.workerId(), worker));
        for (StoredAlert alert : store.openAlerts(tx)) {
            if (alert.cause() != StoredAlert.Cause.NOT_ALIVE || goneIds.contains(alert.workerId())) {
                continue;
            }
            WorkerInfo worker = listed.get(alert.workerId());
            if (worker != null && worker.alive()) {
                resolve(tx, alert, now, "heartbeats again", alert.details());
            } else if (worker != null) {
                resolve(tx, alert, now, "the worker said it stopped", alert.details());
            }
            // Not listed any more (silent for longer than vitals.api.workers.listed-for): still gone, still open.
        }
    }

    /** Notifies a new alert, unless silenced: the tick notifies it when its silence ends. */
    private void notifyOpen(Connection tx, StoredAlert alert, Notification.Kind kind, Instant at) throws SQLException {
        if (silenced(tx, alert, at)) {
            log.info("Alert {} is silenced: nothing sent", alert.id());
            return;
        }
        notifyAll(tx, notice(alert, alert.reason(), alert.details()), kind, at);
        store.notified(tx, alert.id(), at);
    }

    private void resolve(Connection tx, StoredAlert alert, Instant at, String how, StoredAlert.Details details)
            throws SQLException {
        store.resolve(tx, alert.id(), at);
        log.info("Alert {} resolved: worker {}: {}", alert.id(), alert.workerId(), how);
        if (alert.lastNotifiedAt() != null && !silenced(tx, alert, at)) {
            notifyAll(tx, resolved(alert, at, how, details), Notification.Kind.RESOLVED, at);
        }
    }

    private void notifyAll(Connection tx, Notification.Alert alert, Notification.Kind kind, Instant at)
            throws SQLException {
        for (String channel : channels) {
            store.addNotification(tx, new Notification(UUID.randomUUID(), kind, alert, at), channel);
        }
    }

    private boolean silenced(Connection tx, StoredAlert alert, Instant at) throws SQLException {
        return covered(store.silencesAt(tx, at), alert, at);
    }

    private static boolean covered(List<Silence> silences, StoredAlert alert, Instant at) {
        return silences.stream().anyMatch(silence -> silence.covers(alert.workerId(), alert.check(), at));
    }

    private Notification.Alert notice(StoredAlert alert, String reason, StoredAlert.Details details) {
        return new Notification.Alert(alert.id(), alert.workerId(), details.hostname(), alert.check(), true,
                alert.openedAt(), null, reason, details.checks(), details.lastRuns(), details.taskId(),
                taskLink(details.taskId()), null);
    }

    private Notification.Alert resolved(StoredAlert alert, Instant at, String reason, StoredAlert.Details details) {
        return new Notification.Alert(alert.id(), alert.workerId(), details.hostname(), alert.check(), false,
                alert.openedAt(), at, reason, details.checks(), details.lastRuns(), details.taskId(),
                taskLink(details.taskId()), null);
    }

    private @Nullable URI taskLink(@Nullable UUID taskId) {
        URI base = settings.publicUrl();
        return base == null || taskId == null ? null : URI.create(base + "/api/v1/health-checks/" + taskId);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * A change of a worker's overall state, as alerts need it.
     *
     * @param from     the state before ({@code healthy}, {@code degraded}, {@code unhealthy}, {@code unknown})
     * @param to       the state after
     * @param taskId   the task of the run that caused it
     * @param reason   why, in one line: which checks, which values, which thresholds, or a missing report
     * @param checks   the checks that failed in that run, with values and thresholds
     * @param lastRuns the overall statuses of the worker's last runs, oldest first
     */
    public record StateChange(String workerId, @Nullable String hostname, String from, String to, Instant at,
                              @Nullable UUID taskId, String reason, List<Notification.CheckDetail> checks,
                              List<String> lastRuns) {

        public StateChange {
            checks = List.copyOf(checks);
            lastRuns = List.copyOf(lastRuns);
        }

        /** The check that caused it when exactly one failed; null otherwise. */
        @Nullable String singleCheck() {
            List<Notification.CheckDetail> failed = checks.stream()
                    .filter(check -> check.status().equals("error")).toList();
            return failed.size() == 1 ? failed.getFirst().check() : null;
        }

        StoredAlert.Details details() {
            return new StoredAlert.Details(hostname, checks, lastRuns, taskId);
        }
    }
}
