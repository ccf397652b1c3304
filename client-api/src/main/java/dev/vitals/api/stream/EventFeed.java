package dev.vitals.api.stream;

import dev.vitals.api.alert.AlertStore;
import dev.vitals.api.alert.StoredAlert;
import dev.vitals.api.state.JdbcStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events of {@code GET /api/v1/stream} on this API replica: tasks that ended, workers' transitions, alerts opened
 * and resolved, read from the store that every replica shares, so that a reader sees what any replica did and can go
 * on from its last event's id on any replica.
 *
 * <p>While at least one reader is subscribed, the feed reads the store once per poll interval (one reader or a
 * hundred cost the same three queries); with none, it reads nothing. Transitions are read on from the last number
 * seen (one replica at a time records them). Ended tasks ({@code completed_at}) and alert changes ({@code changed_at})
 * are read by the time they were written, from a little before now ({@code overlap}: what a commit may lag behind
 * the time it stores, and one replica's clock another's), so that one committed late is not missed; those seen
 * already are not sent again.
 *
 * <p>The events of one read are sent in the order they happened. Delivery is at least once: a reader that goes on from an event's id may get that event, and a few before it,
 * again. When more happened at once than {@value #MAX_PER_READ} events of a kind, readers get a
 * {@link StreamEvent.Kind#SNAPSHOT} instead: read everything afresh.
 */
public final class EventFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventFeed.class);

    /** The most events of one kind read at once; more, and readers are told to read afresh. */
    static final int MAX_PER_READ = 5000;
    /** Events waiting for one reader; a reader further behind is told to read afresh. */
    static final int MAX_QUEUED = 10_000;

    private final StreamSources sources;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Executor reads;
    private final Duration pollInterval;
    private final Duration overlap;
    private final Duration heartbeatInterval;
    private final Set<Reader> readers = ConcurrentHashMap.newKeySet();

    private final Object lock = new Object();
    private @Nullable ScheduledFuture<?> polls;
    /** A poll is under way: the next waits for it rather than running beside it. */
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile StreamPosition position = new StreamPosition(Instant.EPOCH, 0, Instant.EPOCH);
    /** Ended tasks and alert changes sent, with their times, while within the overlap. Touched by polls only. */
    private final Map<Object, Instant> seen = new HashMap<>();
    private Instant lastHeartbeat = Instant.EPOCH;
    private boolean failing;

    /**
     * @param timer             starts the polls
     * @param reads             runs them (blocking JDBC)
     * @param pollInterval      how often the store is read while someone reads the stream
     * @param overlap           how far behind the newest time seen the next read starts
     * @param heartbeatInterval how often readers get a heartbeat with the current position
     */
    public EventFeed(StreamSources sources, Clock clock, ScheduledExecutorService timer, Executor reads,
                     Duration pollInterval, Duration overlap, Duration heartbeatInterval) {
        this.sources = sources;
        this.clock = clock;
        this.timer = timer;
        this.reads = reads;
        this.pollInterval = pollInterval;
        this.overlap = overlap;
        this.heartbeatInterval = heartbeatInterval;
    }

    /**
     * Starts sending events to {@code sink}, on a thread of the reader's own, until it answers false or the
     * subscription is closed.
     *
     * @param lastEventId the id of the last event the reader saw (a reconnect); null or not an id of this stream:
     *                    it gets a {@link StreamEvent.Kind#SNAPSHOT} first, then what happens from now on
     * @param sink        sends one event; false when the reader is gone
     */
    public Subscription subscribe(@Nullable String lastEventId, Predicate<StreamEvent> sink) {
        Reader reader = new Reader(sink);
        StreamPosition now;
        synchronized (lock) {
            if (polls == null) {
                Instant start = clock.instant().minus(overlap);
                position = new StreamPosition(start, sources.lastTransitionId(), start);
                seen.clear();
                long millis = pollInterval.toMillis();
                polls = timer.scheduleWithFixedDelay(() -> {
                    // The store is read on a thread of its own: a store that hangs must not hold up the timer.
                    if (polling.compareAndSet(false, true)) {
                        reads.execute(() -> {
                            try {
                                poll();
                            } finally {
                                polling.set(false);
                            }
                        });
                    }
                }, millis, millis, TimeUnit.MILLISECONDS);
            }
            now = position;
            readers.add(reader);
        }
        Optional<StreamPosition> from = lastEventId == null ? Optional.empty() : StreamPosition.parse(lastEventId);
        List<StreamEvent> first;
        if (from.isEmpty()) {
            first = List.of(StreamEvent.snapshot(now, lastEventId == null ? "connected" : "unknown last event id"));
        } else {
            try {
                Batch missed = read(from.get(), null);
                first = missed.overflowed()
                        ? List.of(StreamEvent.snapshot(missed.next(), "too much happened since the last event"))
                        : missed.events();
            } catch (RuntimeException e) {
                reader.close();
                throw e;
            }
        }
        reader.start(first);
        return reader;
    }

    /** Ends every subscription. */
    @Override
    public void close() {
        readers.forEach(Reader::close);
        synchronized (lock) {
            if (polls != null) {
                polls.cancel(false);
                polls = null;
            }
        }
    }

    /** A reader's subscription. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private void poll() {
        if (readers.isEmpty()) {
            synchronized (lock) {
                if (readers.isEmpty() && polls != null) {
                    polls.cancel(false);
                    polls = null;
                }
            }
            return;
        }
        try {
            Batch batch = read(position, seen);
            List<StreamEvent> events = new ArrayList<>(batch.events());
            if (batch.overflowed()) {
                events = List.of(StreamEvent.snapshot(batch.next(), "too much happened at once"));
            }
            Instant now = clock.instant();
            synchronized (lock) {
                position = batch.next();
            }
            if (events.isEmpty() && !now.isBefore(lastHeartbeat.plus(heartbeatInterval))) {
                events = List.of(StreamEvent.heartbeat(batch.next()));
            }
            if (!events.isEmpty()) {
                lastHeartbeat = now;
                for (Reader reader : readers) {
                    reader.offer(events);
                }
            }
            if (failing) {
                log.info("The event stream reads the store again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("The event stream cannot read the store, trying again every {} ms: {}", pollInterval.toMillis(),
                        e.getMessage());
                failing = true;
            }
        }
    }

    private record Batch(List<StreamEvent> events, StreamPosition next, boolean overflowed) {
    }

    /**
     * What happened from {@code from} on, and the position to read from next.
     *
     * @param seen those sent already (skipped, then kept while within the overlap); null: send everything read
     */
    private Batch read(StreamPosition from, @Nullable Map<Object, Instant> seen) {
        Instant floor = clock.instant().minus(overlap);
        List<StreamEvent> events = new ArrayList<>();
        boolean overflowed = false;

        List<JdbcStateStore.Numbered> transitions = sources.transitionsAfter(from.transitions(), MAX_PER_READ);
        long lastTransition = from.transitions();
        for (JdbcStateStore.Numbered numbered : transitions) {
            events.add(StreamEvent.state(from, numbered.transition()));
            lastTransition = numbered.id();
        }
        overflowed |= transitions.size() == MAX_PER_READ;

        List<TaskEnd> tasks = sources.tasksEndedSince(from.tasks(), MAX_PER_READ);
        Instant tasksNext = later(from.tasks(), floor);
        for (TaskEnd task : tasks) {
            if (firstTime(seen, task.taskId(), task.completedAt())) {
                events.add(StreamEvent.task(from, task));
            }
        }
        if (tasks.size() == MAX_PER_READ) {
            overflowed = true;
            tasksNext = later(tasksNext, tasks.getLast().completedAt());
        }

        List<AlertStore.Change> alerts = sources.alertsChangedSince(from.alerts(), MAX_PER_READ);
        Instant alertsNext = later(from.alerts(), floor);
        for (AlertStore.Change change : alerts) {
            StoredAlert alert = change.alert();
            if (firstTime(seen, alert.id() + (alert.open() ? " opened" : " resolved"), change.at())) {
                events.add(StreamEvent.alert(from, alert));
            }
        }
        if (alerts.size() == MAX_PER_READ) {
            overflowed = true;
            alertsNext = later(alertsNext, alerts.getLast().at());
        }

        events.sort(Comparator.comparing(StreamEvent::at));
        StreamPosition next = new StreamPosition(tasksNext, lastTransition, alertsNext).max(from);
        if (seen != null) {
            Instant keepFrom = next.tasks().isBefore(next.alerts()) ? next.tasks() : next.alerts();
            seen.values().removeIf(at -> at.isBefore(keepFrom));
        }
        return new Batch(events, next, overflowed);
    }

    private static boolean firstTime(@Nullable Map<Object, Instant> seen, Object key, Instant at) {
        return seen == null || seen.putIfAbsent(key, at) == null;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** One subscription: its events wait in a queue of their own, sent on a virtual thread. */
    private final class Reader implements Subscription {

        private final Predicate<StreamEvent> sink;
        private final BlockingQueue<StreamEvent> queue = new LinkedBlockingQueue<>();
        private volatile boolean closed;
        private @Nullable Thread sender;

        Reader(Predicate<StreamEvent> sink) {
            this.sink = sink;
        }

        void start(List<StreamEvent> first) {
            sender = Thread.ofVirtual().name("vitals-api-stream-reader").start(() -> {
                try {
                    for (StreamEvent event : first) {
                        if (closed || !sink.test(event)) {
                            return;
                        }
                    }
                    while (!closed) {
                        StreamEvent event = queue.take();
                        if (!sink.test(event)) {
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    log.debug("A reader of the event stream is gone: {}", e.toString());
                } finally {
                    close();
                }
            });
        }

        void offer(List<StreamEvent> events) {
            if (queue.size() + events.size() > MAX_QUEUED) {
                queue.clear();
                queue.add(StreamEvent.snapshot(events.getLast().position(), "the reader fell behind"));
                return;
            }
            queue.addAll(events);
        }

        @Override
        public void close() {
            closed = true;
            readers.remove(this);
            Thread thread = sender;
            if (thread != null && thread != Thread.currentThread()) {
                thread.interrupt();
            }
        }
    }
}
