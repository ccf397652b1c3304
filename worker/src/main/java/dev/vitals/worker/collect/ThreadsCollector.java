package dev.vitals.worker.collect;

import dev.vitals.model.CheckName;
import dev.vitals.model.ThreadCount;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import oshi.software.os.OperatingSystem;

/**
 * Threads and processes on the machine, and the worker's own live threads.
 *
 * <p>Counting processes means listing them, which costs about a microsecond per process on Linux and more
 * elsewhere, so the process count is reused for {@link #PROCESS_COUNT_TIME_TO_LIVE}; the other figures are
 * read on every call.
 */
public final class ThreadsCollector implements Collector {

    /** How long a process count is reused before the processes are listed again. */
    public static final Duration PROCESS_COUNT_TIME_TO_LIVE = Duration.ofSeconds(1);

    private final LongSupplier machineThreads;
    private final Supplier<Long> processes;
    private final IntSupplier workerThreads;

    ThreadsCollector(LongSupplier machineThreads, Supplier<Long> processes, IntSupplier workerThreads) {
        this.machineThreads = machineThreads;
        this.processes = processes;
        this.workerThreads = workerThreads;
    }

    /**
     * Reads through OSHI, on any platform. On Linux OSHI asks {@code sysinfo(2)}, which is slower than
     * {@link #fromProc}.
     */
    public static ThreadsCollector fromOshi(OperatingSystem os, Clock clock) {
        ThreadMXBean jvmThreads = ManagementFactory.getThreadMXBean();
        return new ThreadsCollector(os::getThreadCount,
                new CachedValue<>(() -> (long) os.getProcessCount(), PROCESS_COUNT_TIME_TO_LIVE, clock),
                jvmThreads::getThreadCount);
    }

    /**
     * Reads Linux's {@code /proc} directly: the machine's threads from {@code /proc/loadavg}, its processes
     * from the numeric entries of {@code /proc}.
     */
    static ThreadsCollector fromProc(ProcFs proc, Clock clock) {
        ThreadMXBean jvmThreads = ManagementFactory.getThreadMXBean();
        return new ThreadsCollector(proc::threadCount,
                new CachedValue<>(proc::processCount, PROCESS_COUNT_TIME_TO_LIVE, clock),
                jvmThreads::getThreadCount);
    }

    @Override
    public CheckName check() {
        return CheckName.THREADS;
    }

    /**
     * @return threads on the whole machine (kernel-wide on Linux, so the host's from inside a container),
     *         processes visible to the worker (a container's own, in a PID namespace), and the worker JVM's
     *         live threads
     */
    @Override
    public ThreadCount collect() {
        return new ThreadCount(machineThreads.getAsLong(), processes.get(), workerThreads.getAsInt());
    }
}
