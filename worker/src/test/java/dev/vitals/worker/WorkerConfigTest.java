package dev.vitals.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.vitals.model.CheckName;
import dev.vitals.model.Threshold;
import dev.vitals.model.Thresholds;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import dev.vitals.worker.collect.GradeScope;

class WorkerConfigTest {

    private static WorkerConfig read(String overrides) {
        Config config = ConfigFactory.parseString(overrides).withFallback(ConfigFactory.defaultReference()).resolve();
        return WorkerConfig.from(config, "host-a");
    }

    @Test
    void defaultThresholdsFollowTheContract() {
        Thresholds defaults = read("vitals.worker.id = w1").thresholds();

        assertThat(defaults.forCheck(CheckName.CPU)).isEqualTo(new Threshold(90, 95));
        assertThat(defaults.forCheck(CheckName.MEMORY)).isEqualTo(new Threshold(80, 95));
        assertThat(defaults.forCheck(CheckName.DISK)).isEqualTo(new Threshold(90, 95));
    }

    /** The contract leaves load and threads to the project; the README's table of default thresholds says these. */
    @Test
    void loadAndThreadsDefaultsAreTheReadmesDocumentedChoice() {
        Thresholds defaults = read("vitals.worker.id = w1").thresholds();

        assertThat(defaults.forCheck(CheckName.LOAD)).isEqualTo(new Threshold(1.5, 3.0));
        assertThat(defaults.forCheck(CheckName.THREADS)).isEqualTo(new Threshold(10_000, 30_000));
    }

    /** reference.conf is where each default threshold is documented and set: it names every check. */
    @Test
    void referenceConfStatesAThresholdForEveryCheck() {
        Config thresholds = ConfigFactory.defaultReference().getConfig("vitals.worker.thresholds");

        assertThat(thresholds.root().keySet()).containsExactlyInAnyOrder(
                Arrays.stream(CheckName.values()).map(CheckName::id).toArray(String[]::new));
    }

    @Test
    void defaultThresholdsAreTheOnesAWorkerWithoutOverridesGradesWith() {
        assertThat(WorkerConfig.defaultThresholds()).isEqualTo(read("vitals.worker.id = w1").thresholds());
    }

    @Test
    void referenceDefaultsAreDocumentedValues() {
        WorkerConfig config = read("vitals.worker.id = w1");

        assertThat(config.prefetch()).isEqualTo(8);
        assertThat(config.cpuSampleInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.watchedPaths()).isEmpty();
        assertThat(config.broker().uri().getHost()).isNotEmpty();
    }

    @Test
    void gradeScopeIsAutoByDefaultAndReadsEachValue() {
        assertThat(read("vitals.worker.id = w1").gradeScope()).isEqualTo(GradeScope.AUTO);
        assertThat(read("vitals.worker.id = w1, vitals.worker.grade-scope = host").gradeScope()).isEqualTo(GradeScope.HOST);
        assertThat(read("vitals.worker.id = w1, vitals.worker.grade-scope = container").gradeScope())
                .isEqualTo(GradeScope.CONTAINER);
    }

    @Test
    void invalidGradeScopeIsRefusedNamingTheKeyAndTheChoices() {
        assertThatThrownBy(() -> read("vitals.worker.id = w1, vitals.worker.grade-scope = pod"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("vitals.worker.grade-scope")
                .hasMessageContaining("auto, host or container")
                .hasMessageContaining("'pod'");
    }

    @Test
    void emptyIdBecomesHostnameWithASuffix() {
        WorkerConfig config = read("vitals.worker.id = \"\"");

        assertThat(config.workerId()).matches("host-a-[0-9a-f]{4}");
    }

    @Test
    void invalidIdIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> read("vitals.worker.id = \"has space\""))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("vitals.worker.id")
                .hasMessageContaining("has space");
    }

    @Test
    void thresholdOverridesAreValidatedNamingTheKey() {
        assertThatThrownBy(() -> read("vitals.worker.id = w1, vitals.worker.thresholds.disk { warning = 99, error = 90 }"))
                .isInstanceOf(ConfigException.BadValue.class)
                .hasMessageContaining("vitals.worker.thresholds.disk")
                .hasMessageContaining("must not be above error");
    }

    @Test
    void percentThresholdOver100IsRefused() {
        assertThatThrownBy(() -> read("vitals.worker.id = w1, vitals.worker.thresholds.cpu.error = 120"))
                .hasMessageContaining("vitals.worker.thresholds.cpu.error")
                .hasMessageContaining("between 0 and 100");
    }

    @Test
    void unknownCheckInThresholdsIsRefused() {
        assertThatThrownBy(() -> read("vitals.worker.id = w1, vitals.worker.thresholds.gpu { warning = 1, error = 2 }"))
                .hasMessageContaining("vitals.worker.thresholds.gpu")
                .hasMessageContaining("known checks are cpu, memory, disk, load, threads");
    }

    @Test
    void thresholdOverrideChangesOnlyItsCheck() {
        WorkerConfig config = read("vitals.worker.id = w1, vitals.worker.thresholds.load { warning = 2, error = 4 }");

        assertThat(config.thresholds().forCheck(CheckName.LOAD)).isEqualTo(new Threshold(2, 4));
        assertThat(config.thresholds().forCheck(CheckName.CPU)).isEqualTo(new Threshold(90, 95));
    }

    @Test
    void outOfRangeValuesAreRefusedNamingKeyValueAndRange() {
        assertThatThrownBy(() -> read("vitals.worker.id = w1, vitals.worker.prefetch = 0"))
                .hasMessageContaining("vitals.worker.prefetch")
                .hasMessageContaining("between 1 and 1000, got 0");
        assertThatThrownBy(() -> read("vitals.worker.id = w1, vitals.worker.cpu.sample-interval = 1ms"))
                .hasMessageContaining("vitals.worker.cpu.sample-interval");
        assertThatThrownBy(() -> read("vitals.worker.id = w1, vitals.worker.health.port = 70000"))
                .hasMessageContaining("vitals.worker.health.port");
    }

    @Test
    void wrongTypeIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> read("vitals.worker.id = w1, vitals.worker.prefetch = lots"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("prefetch");
    }

    @Test
    void brokerUriMustBeAmqp() {
        assertThatThrownBy(() -> read("vitals.worker.id = w1, vitals.broker.uri = \"http://localhost\""))
                .hasMessageContaining("vitals.broker.uri")
                .hasMessageContaining("amqp://");
    }
}
