package dev.vitals.api.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.vitals.model.CheckName;
import dev.vitals.model.CheckStatus;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RunsOfTaskTest {

    private static final Instant AT = Instant.parse("2026-11-22T10:15:30.123Z");
    private final RunsOfTask runs = new RunsOfTask(VitalsJson.newMapper());

    private static EndedTask task(Target target, TaskStatus status, String worker, String result, List<String> expected) {
        return new EndedTask(UUID.randomUUID(), target, status, AT, worker, result, expected, "every-30s");
    }

    @Test
    void readsEachChecksGradedValueAndThresholdsAsTheContractNamesThem() {
        String report = "{\"worker_id\": \"w\", \"status\": \"warning\", \"checks\": {"
                + "\"load\": {\"status\": \"warning\", \"load_average\": [1, 2, 3], \"per_core\": 1.6, \"warning\": 1.5, \"error\": 3},"
                + "\"threads\": {\"status\": \"ok\", \"count\": 412, \"processes\": 96, \"warning\": 10000, \"error\": 30000},"
                + "\"memory\": {\"status\": \"unknown\", \"error\": \"cannot read /proc/meminfo\"}}}";

        Run run = runs.runs(task(Target.ANY, TaskStatus.COMPLETED, "w", report, List.of())).getFirst();

        assertThat(run.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(run.scheduled()).isTrue();
        assertThat(run.checks()).containsOnlyKeys(CheckName.LOAD, CheckName.THREADS, CheckName.MEMORY);
        assertThat(run.checks().get(CheckName.LOAD)).isEqualTo(new CheckPoint(CheckStatus.WARNING, 1.6, 1.5, 3.0));
        assertThat(run.checks().get(CheckName.THREADS).value()).isEqualTo(412.0);
        assertThat(run.checks().get(CheckName.MEMORY)).isEqualTo(new CheckPoint(CheckStatus.UNKNOWN, null, null, null));
        assertThat(run.failed()).isFalse();
    }

    @Test
    void keepsTheReasonOfEachCheckAndNoneForAReportWithout() {
        String report = "{\"worker_id\": \"w\", \"status\": \"error\", \"checks\": {"
                + "\"disk\": {\"status\": \"error\", \"percent_used\": 97.1, \"warning\": 90, \"error\": 95,"
                + " \"reason\": \"disk / is 97.1 % full (4.6 GB free of 160 GB), above the error threshold 95 %\"},"
                + "\"memory\": {\"status\": \"unknown\", \"error\": \"no meminfo\", \"reason\": \"memory unknown: no meminfo\"},"
                + "\"load\": {\"status\": \"ok\", \"per_core\": 0.2, \"warning\": 1.5, \"error\": 3}}}";

        Run run = runs.runs(task(Target.ANY, TaskStatus.COMPLETED, "w", report, List.of())).getFirst();

        assertThat(run.checks().get(CheckName.DISK)).isEqualTo(new CheckPoint(CheckStatus.ERROR, 97.1, 90.0, 95.0,
                "disk / is 97.1 % full (4.6 GB free of 160 GB), above the error threshold 95 %"));
        assertThat(run.checks().get(CheckName.MEMORY).reason()).isEqualTo("memory unknown: no meminfo");
        assertThat(run.checks().get(CheckName.LOAD).reason()).isNull();
    }

    @Test
    void anUnreadableReportIsAWarningWithoutChecks() {
        Run run = runs.runs(task(Target.ANY, TaskStatus.COMPLETED, "w", "not json", List.of())).getFirst();

        assertThat(run.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(run.checks()).isEmpty();
    }

    @Test
    void aValueOrThresholdThatIsNotANumberIsNotKept() {
        String report = "{\"status\": \"healthy\", \"checks\": {\"disk\": {\"status\": \"ok\","
                + " \"percent_used\": \"63\", \"mounts\": [{\"percent_used\": 1}], \"warning\": null, \"error\": 95}}}";

        Run run = runs.runs(task(Target.ANY, TaskStatus.COMPLETED, "w", report, List.of())).getFirst();

        assertThat(run.checks().get(CheckName.DISK)).isEqualTo(new CheckPoint(CheckStatus.OK, null, null, 95.0));
    }

    @Test
    void aReportWithADuplicateKeyEvenInAPartNotKeptIsUnreadable() {
        String report = "{\"status\": \"healthy\", \"checks\": {\"disk\": {\"status\": \"ok\", \"percent_used\": 63,"
                + " \"mounts\": [{\"path\": \"/\", \"path\": \"/data\"}]}}}";

        Run run = runs.runs(task(Target.ANY, TaskStatus.COMPLETED, "w", report, List.of())).getFirst();

        assertThat(run.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(run.checks()).isEmpty();
    }

    @Test
    void aReportFollowedByMoreContentIsUnreadable() {
        String report = "{\"status\": \"healthy\", \"checks\": {\"cpu\": {\"status\": \"ok\", \"percent_used\": 3}}} {}";

        Run run = runs.runs(task(Target.ANY, TaskStatus.COMPLETED, "w", report, List.of())).getFirst();

        assertThat(run.status()).isEqualTo(HealthStatus.WARNING);
        assertThat(run.checks()).isEmpty();
    }

    @Test
    void anUnreadableResultForAllLeavesEveryExpectedWorkerMissing() {
        String result = "{\"status\": \"healthy\", \"reports\": [{\"worker_id\": \"a\", \"status\": \"healthy\"}";

        assertThat(runs.runs(task(Target.ALL, TaskStatus.COMPLETED, "a", result, List.of("a", "b"))))
                .extracting(Run::workerId, Run::isMissing).containsExactly(tuple("a", true), tuple("b", true));
    }

    @Test
    void targetAllGivesAReportPerWorkerAndAMissingRunPerSilentOne() {
        String result = "{\"status\": \"error\", \"reports\": [{\"worker_id\": \"a\", \"status\": \"error\"}],"
                + " \"expected_workers\": 2, \"missing_workers\": [\"b\"]}";

        List<Run> all = runs.runs(task(Target.ALL, TaskStatus.COMPLETED, "a", result, List.of("a", "b")));

        assertThat(all).extracting(Run::workerId).containsExactly("a", "b");
        assertThat(all.get(0).failed()).isTrue();
        assertThat(all.get(1).isMissing()).isTrue();
    }

    @Test
    void aTaskForAllThatFailedIsMissingForEveryExpectedWorker() {
        assertThat(runs.runs(task(Target.ALL, TaskStatus.FAILED, null, null, List.of("a", "b"))))
                .allMatch(Run::isMissing).hasSize(2);
    }

    @Test
    void aFailedTaskTakenByAWorkerForAnyIsThatWorkersMissingRun() {
        assertThat(runs.runs(task(Target.ANY, TaskStatus.FAILED, "w", null, List.of())))
                .singleElement().satisfies(run -> assertThat(run.workerId()).isEqualTo("w"));
        assertThat(runs.runs(task(Target.ANY, TaskStatus.EXPIRED, null, null, List.of()))).isEmpty();
    }

    @Test
    void anExpiredTaskForOneWorkerIsItsMissingRun() {
        assertThat(runs.runs(task(Target.of("host-a-1"), TaskStatus.EXPIRED, null, null, List.of())))
                .singleElement().satisfies(run -> {
                    assertThat(run.workerId()).isEqualTo("host-a-1");
                    assertThat(run.isMissing()).isTrue();
                });
    }
}
