package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.vitals.model.CheckName;
import dev.vitals.model.ThreadCount;
import java.time.Clock;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;

class ThreadsCollectorTest {

    @Test
    void reportsMachineThreadsProcessesAndWorkerThreads() {
        ThreadsCollector collector = new ThreadsCollector(() -> 412, () -> 96L, () -> 21);

        assertThat(collector.collect()).isEqualTo(new ThreadCount(412, 96, 21));
        assertThat(collector.check()).isEqualTo(CheckName.THREADS);
    }

    @Nested
    class OnThisMachine {

        @Test
        void procCountsAreSaneAndIncludeTheWorkersThreads() {
            assumeThat(ProcFs.isAvailable(ProcFs.DEFAULT_ROOT)).as("Linux /proc").isTrue();

            assertSane(ThreadsCollector.fromProc(new ProcFs(ProcFs.DEFAULT_ROOT), Clock.systemUTC()).collect());
        }

        @Test
        void oshiCountsAreSaneAndIncludeTheWorkersThreads() {
            assertSane(ThreadsCollector.fromOshi(new SystemInfo().getOperatingSystem(), Clock.systemUTC()).collect());
        }

        private static void assertSane(ThreadCount threads) {
            assertThat(threads.workerThreads()).isPositive();
            assertThat(threads.processes()).isPositive();
            assertThat(threads.count())
                    .isGreaterThanOrEqualTo(threads.workerThreads())
                    .isGreaterThanOrEqualTo(threads.processes());
        }
    }
}
