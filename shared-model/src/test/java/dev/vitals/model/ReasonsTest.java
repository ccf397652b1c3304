package dev.vitals.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReasonsTest {

    private static String reason(Measurement measurement, Threshold threshold) {
        return CheckResult.graded(measurement, threshold).reason();
    }

    private static DiskUsage disk(double percent) {
        return DiskUsage.ofMounts(List.of(new MountUsage("/", percent, 78.7, 252)));
    }

    @Test
    void diskAboveTheWarningThresholdNamesMountFreeSpaceAndThreshold() {
        assertThat(reason(disk(91.9), new Threshold(90, 95)))
                .isEqualTo("disk / is 91.9 % full (78.7 GB free of 252 GB), above the warning threshold 90 %");
    }

    @Test
    void diskAboveTheErrorThresholdNamesTheErrorThreshold() {
        assertThat(reason(disk(97.1), new Threshold(90, 95)))
                .isEqualTo("disk / is 97.1 % full (78.7 GB free of 252 GB), above the error threshold 95 %");
    }

    @Test
    void diskBelowTheWarningThresholdIsOkAndSaysSo() {
        assertThat(reason(disk(40), new Threshold(90, 95)))
                .isEqualTo("disk / is 40.0 % full (78.7 GB free of 252 GB), below the warning threshold 90 %");
    }

    @Test
    void aValueEqualToItsThresholdIsAtIt() {
        assertThat(reason(disk(90), new Threshold(90, 95))).endsWith(", at the warning threshold 90 %");
        assertThat(reason(disk(95), new Threshold(90, 95))).endsWith(", at the error threshold 95 %");
    }

    @Test
    void memoryOkNamesAvailableAndTotal() {
        assertThat(reason(new MemoryUsage(41.2, 4.7 * 1024, 8 * 1024), new Threshold(80, 95)))
                .isEqualTo("memory 41.2 % used (4.7 GB available of 8.0 GB), below the warning threshold 80 %");
    }

    @Test
    void memoryWarningAndError() {
        assertThat(reason(new MemoryUsage(85.0, 1200, 8000), new Threshold(80, 95)))
                .isEqualTo("memory 85.0 % used (1.2 GB available of 7.8 GB), above the warning threshold 80 %");
        assertThat(reason(new MemoryUsage(99.5, 40, 8000), new Threshold(80, 95)))
                .isEqualTo("memory 99.5 % used (40 MB available of 7.8 GB), above the error threshold 95 %");
    }

    @Test
    void memoryOfAContainerNamesItsLimitAndTheHost() {
        MemoryUsage container = new MemoryUsage(91.0, 23, 256, Scope.CONTAINER, 256.0, 41.2, 8000.0, null);

        assertThat(reason(container, new Threshold(80, 95))).isEqualTo("memory of the container is 91.0 % of its "
                + "256 MB limit (23 MB available; host 41.2 % used), above the warning threshold 80 %");
    }

    @Test
    void aScopeNoteIsSaidAfterTheStanding() {
        MemoryUsage host = new MemoryUsage(41.2, 4.7 * 1024, 8 * 1024)
                .withScopeNote("graded against the host: this worker's cgroup sets no memory limit");

        assertThat(reason(host, new Threshold(80, 95))).isEqualTo("memory 41.2 % used (4.7 GB available of 8.0 GB), "
                + "below the warning threshold 80 % (graded against the host: this worker's cgroup sets no memory limit)");
    }

    @Test
    void cpuOfTheHostNamesWindowAndLogicalCpus() {
        assertThat(reason(new CpuUsage(12.5, 2, 1.0), new Threshold(90, 95)))
                .isEqualTo("cpu 12.5 % busy over the last 1.0 s (2 logical CPUs), below the warning threshold 90 %");
        assertThat(reason(new CpuUsage(92.0, 2, 1.0), new Threshold(90, 95)))
                .endsWith(", above the warning threshold 90 %");
        assertThat(reason(new CpuUsage(100.0, 2, 1.0), new Threshold(90, 95)))
                .endsWith(", above the error threshold 95 %");
    }

    @Test
    void cpuOfAContainerNamesItsQuotaThrottlingAndTheHost() {
        CpuUsage container = new CpuUsage(96.4, 2, 1.0, Scope.CONTAINER, 0.5, 30.2, 40.0, 0.42, null);

        assertThat(reason(container, new Threshold(90, 95))).isEqualTo("cpu of the container is 96.4 % of its quota "
                + "of 0.50 CPU over the last 1.0 s (throttled in 40.0 % of periods, 0.4 s; host 30.2 % busy), "
                + "above the error threshold 95 %");
    }

    @Test
    void cpuOfAContainerNotThrottledSaysSo() {
        CpuUsage container = new CpuUsage(10.0, 2, 1.0, Scope.CONTAINER, 1.5, 8.0, 0.0, 0.0, null);

        assertThat(reason(container, new Threshold(90, 95))).isEqualTo("cpu of the container is 10.0 % of its quota "
                + "of 1.5 CPU over the last 1.0 s (not throttled; host 8.0 % busy), below the warning threshold 90 %");
    }

    @Test
    void loadNamesPerCoreAndTheThreshold() {
        assertThat(reason(new LoadAverage(List.of(6.8, 5.0, 4.0), 3.4), new Threshold(1.5, 3)))
                .isEqualTo("load 3.4 per core over 1 min is above the error threshold 3.0");
        assertThat(reason(new LoadAverage(List.of(3.6, 2.0, 1.0), 1.8), new Threshold(1.5, 3)))
                .isEqualTo("load 1.8 per core over 1 min is above the warning threshold 1.5");
        assertThat(reason(new LoadAverage(List.of(1.2, 1.5, 1.8), 0.6), new Threshold(1.5, 3)))
                .isEqualTo("load 0.60 per core over 1 min is below the warning threshold 1.5");
    }

    @Test
    void threadsNameCountAndProcesses() {
        assertThat(reason(new ThreadCount(412, 96, 21), new Threshold(10000, 30000)))
                .isEqualTo("threads 412 on the machine (96 processes), below the warning threshold 10000");
        assertThat(reason(new ThreadCount(12000, 300, 21), new Threshold(10000, 30000)))
                .isEqualTo("threads 12000 on the machine (300 processes), above the warning threshold 10000");
        assertThat(reason(new ThreadCount(31000, 300, 21), new Threshold(10000, 30000)))
                .isEqualTo("threads 31000 on the machine (300 processes), above the error threshold 30000");
    }

    @Test
    void unknownNamesTheCheckAndTheError() {
        CheckResult unknown = CheckResult.unknown(CheckName.CPU, "no CPU window has closed yet");

        assertThat(unknown.reason()).isEqualTo("cpu unknown: no CPU window has closed yet");
        assertThat(unknown.error()).isEqualTo("no CPU window has closed yet");
    }
}
