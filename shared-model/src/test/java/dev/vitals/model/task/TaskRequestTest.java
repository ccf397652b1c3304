package dev.vitals.model.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vitals.model.CheckName;
import dev.vitals.model.Threshold;
import dev.vitals.model.ValidationException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskRequestTest {

    @Test
    void runsEveryCheckOnAnyWorkerByDefault() {
        assertThat(TaskRequest.DEFAULT.checksToRun()).isEqualTo(EnumSet.allOf(CheckName.class));
        assertThat(TaskRequest.DEFAULT.targetOrAny()).isEqualTo(Target.ANY);
        assertThat(TaskRequest.DEFAULT.thresholdOverrides()).isEmpty();
    }

    @Test
    void refusesAnEmptyCheckList() {
        assertThatThrownBy(() -> new TaskRequest(null, List.of(), null, null).validate())
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("checks: must name at least one check");
    }

    @Test
    void refusesARepeatedCheck() {
        assertThatThrownBy(() -> new TaskRequest(null, List.of(CheckName.CPU, CheckName.CPU), null, null).validate())
                .hasMessageStartingWith("checks: names a check more than once");
    }

    @Test
    void refusesInvalidThresholdsNamingTheCheck() {
        TaskRequest request = new TaskRequest(null, null, Map.of(CheckName.DISK, new Threshold(90, 80)), null);

        assertThatThrownBy(request::validate)
                .isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("thresholds.disk: warning (90) must not be above error (80)");
    }

    @Test
    void refusesTimeoutOutsideOneToThreeThousandSixHundredSeconds() {
        assertThatThrownBy(() -> new TaskRequest(null, null, null, 0).validate())
                .hasMessage("timeout_seconds: must be between 1 and 3600, got 0");
        assertThatThrownBy(() -> new TaskRequest(null, null, null, 3601).validate())
                .hasMessage("timeout_seconds: must be between 1 and 3600, got 3601");
        assertThat(new TaskRequest(null, null, null, 3600).validate().timeoutSeconds()).isEqualTo(3600);
    }
}
