package dev.vitals.worker.collect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.hardware.CentralProcessor;

/**
 * Measures CPU use in the background so that nobody waiting for a report has to. One daemon thread,
 * {@value #THREAD_NAME}, reads the machine's CPU counters every {@code interval}; each reading closes a window
 * that began at the one before, and the latest complete window is kept for {@link #latest()}.
 *
 * <p>The first window exists one interval after {@link #start()}. A reading whose counters did not advance
 * publishes nothing and keeps the older reading as the start of the next window, so no window is ever empty.
 * OSHI caches the counters for 300 ms by default ({@code oshi.util.memoizer.expiration}), so an interval shorter
 * than that only produces longer windows.
 */
public final class CpuSampler implements AutoCloseable {

    /** The name of the sampling thread, as thread dumps show it. */
    public static final String THREAD_NAME = "vitals-cpu-sampler";

    /** Length of the first window when the interval is longer: long enough to mean something, short enough to start fast. */
    static final Duration FIRST_WINDOW = Duration.ofMillis(400); // OSHI caches tick readings for 300 ms

    private static final Logger log = LoggerFactory.getLogger(CpuSampler.class);

    private final Supplier<CpuTicks> ticks;
    private final Supplier<Optional<CgroupFs.Cpu>> cgroupCpu;
    private final Duration interval;
    private final Clock clock;
    private final CountDownLatch firstWindow = new CountDownLatch(1);
    private volatile @Nullable CpuWindow latest;

    // Touched only by the sampling thread (or a test driving sample() itself).
    private @Nullable CpuTicks baseline;
    private @Nullable Instant baselineAt;
    private CgroupFs.@Nullable Cpu baselineCgroup;
    private boolean failing;
    private boolean cgroupFailing;

    // Guarded by this.
    private @Nullable ScheduledExecutorService executor;
    private boolean closed;

    /**
     * @param processor where the counters are read
     * @param interval  time between readings, hence the length of each window; positive
     * @param clock     gives each window's length and end
     */
    public CpuSampler(CentralProcessor processor, Duration interval, Clock clock) {
        this(() -> CpuTicks.of(processor.getSystemCpuLoadTicks()), Optional::empty, interval, clock);
    }

    /**
     * As {@link #CpuSampler(CentralProcessor, Duration, Clock)}, also reading the CPU quota and counters of the
     * worker's cgroup at each reading, so that each window also says how much of its quota the container used.
     *
     * @param cgroups the worker's cgroups; null where there are none
     */
    public CpuSampler(CentralProcessor processor, @Nullable CgroupFs cgroups, Duration interval, Clock clock) {
        this(() -> CpuTicks.of(processor.getSystemCpuLoadTicks()),
                cgroups == null ? Optional::empty : cgroups::cpu, interval, clock);
    }

    CpuSampler(Supplier<CpuTicks> ticks, Duration interval, Clock clock) {
        this(ticks, Optional::empty, interval, clock);
    }

    CpuSampler(Supplier<CpuTicks> ticks, Supplier<Optional<CgroupFs.Cpu>> cgroupCpu, Duration interval, Clock clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the CPU sampling interval must be positive, got " + interval);
        }
        this.ticks = ticks;
        this.cgroupCpu = cgroupCpu;
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * Starts reading the counters: now, after {@link #FIRST_WINDOW} when the interval is longer, then every interval.
     *
     * @throws IllegalStateException when already started or closed
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the CPU sampler is closed");
        }
        if (executor != null) {
            throw new IllegalStateException("the CPU sampler is already started");
        }
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleAtFixedRate(this::sampleAndCarryOn, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        Duration first = FIRST_WINDOW.compareTo(interval) < 0 ? FIRST_WINDOW : null;
        if (first != null) {
            // A shorter first window, so that a worker that just started can report CPU almost at once.
            executor.schedule(this::sampleAndCarryOn, first.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Time between readings. */
    public Duration interval() {
        return interval;
    }

    /** The latest complete window, or empty until the first one closes. Never blocks. */
    public Optional<CpuWindow> latest() {
        return Optional.ofNullable(latest);
    }

    /**
     * Waits until the first window exists and returns the latest one, for a process that measures once and
     * exits. Returns at once when a window already exists.
     *
     * @param timeout how long to wait at most
     * @throws MetricUnavailableException when no window closed within {@code timeout}
     * @throws IllegalStateException      when the sampler was never started
     * @throws InterruptedException       when interrupted while waiting
     */
    public CpuWindow awaitWindow(Duration timeout) throws InterruptedException {
        synchronized (this) {
            if (executor == null) {
                throw new IllegalStateException("the CPU sampler is not started");
            }
        }
        if (!firstWindow.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new MetricUnavailableException("no CPU sample within " + timeout.toMillis() + " ms");
        }
        return latest().orElseThrow();
    }

    /** Stops the sampling thread. The latest window stays readable. Closing twice is harmless. */
    @Override
    public synchronized void close() {
        closed = true;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /**
     * Reads the counters once and, when a window closes, publishes it. Called by the sampling thread; tests
     * call it directly to step the sampler without a thread.
     */
    void sample() {
        CpuTicks now = ticks.get();
        CgroupFs.Cpu cgroupNow = readCgroup();
        Instant at = clock.instant();
        CpuTicks before = baseline;
        Instant beforeAt = baselineAt;
        if (before == null || beforeAt == null || now.totalMillis() < before.totalMillis() || !at.isAfter(beforeAt)) {
            // First reading, counters reset, or the clock stepped back: no window can be trusted; start afresh.
            baseline = now;
            baselineAt = at;
            baselineCgroup = cgroupNow;
            return;
        }
        OptionalDouble percent = now.percentUsedSince(before);
        if (percent.isEmpty()) {
            return;
        }
        Duration window = Duration.between(beforeAt, at);
        latest = new CpuWindow(percent.getAsDouble(), window, at,
                ContainerCpu.between(baselineCgroup, cgroupNow, window.toNanos()));
        firstWindow.countDown();
        baseline = now;
        baselineAt = at;
        baselineCgroup = cgroupNow;
    }

    /** The cgroup's CPU counters; a failed read costs the container's figures of one window, not the host's. */
    private CgroupFs.@Nullable Cpu readCgroup() {
        try {
            CgroupFs.Cpu read = cgroupCpu.get().orElse(null);
            if (cgroupFailing) {
                cgroupFailing = false;
                log.info("Reading the cgroup's CPU counters works again");
            }
            return read;
        } catch (RuntimeException e) {
            if (!cgroupFailing) {
                cgroupFailing = true;
                log.warn("Cannot read the cgroup's CPU counters; cpu is graded against the host until this recovers", e);
            }
            return null;
        }
    }

    private void sampleAndCarryOn() {
        // An exception would cancel the schedule for good; a failed reading must only cost one window.
        try {
            sample();
            if (failing) {
                failing = false;
                log.info("Reading CPU counters works again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                log.warn("Cannot read CPU counters; CPU use stays at its last window until this recovers", e);
            } else {
                log.debug("Still cannot read CPU counters", e);
            }
        }
    }
}
