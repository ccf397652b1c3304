package dev.vitals.api.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.model.CheckName;
import dev.vitals.model.ValidationException;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.model.task.Target;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ScheduleRequestTest {

    private static final ObjectMapper MAPPER = VitalsJson.newMapper();
    private static final Duration MIN = Duration.ofSeconds(5);

    private static Schedule schedule(String json, @Nullable String pathName) {
        return ScheduleRequest.read(MAPPER, json.getBytes(StandardCharsets.UTF_8), "body").toSchedule(pathName, MIN);
    }

    @Test
    void aMinimalRequestTargetsAnyWorkerWithEveryCheckAndIsEnabled() {
        Schedule schedule = schedule("{\"name\": \"fleet\", \"interval_seconds\": 30}", null);

        assertThat(schedule.name()).isEqualTo("fleet");
        assertThat(schedule.request().target()).isEqualTo(Target.ANY);
        assertThat(schedule.request().checks()).isNull();
        assertThat(schedule.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(schedule.enabled()).isTrue();
    }

    @Test
    void everyFieldIsRead() {
        Schedule schedule = schedule("{\"name\": \"disks\", \"target\": \"host-a-1\", \"checks\": [\"disk\"],"
                + " \"thresholds\": {\"disk\": {\"warning\": 70, \"error\": 85}}, \"interval_seconds\": 86400,"
                + " \"enabled\": false}", null);

        assertThat(schedule.request().target()).isEqualTo(Target.of("host-a-1"));
        assertThat(schedule.request().checks()).containsExactly(CheckName.DISK);
        assertThat(schedule.request().thresholds()).containsKey(CheckName.DISK);
        assertThat(schedule.interval()).isEqualTo(Duration.ofDays(1));
        assertThat(schedule.enabled()).isFalse();
    }

    @Test
    void aPutMayLeaveTheNameToItsPath() {
        assertThat(schedule("{\"interval_seconds\": 30}", "fleet").name()).isEqualTo("fleet");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"interval_seconds\": 30}|name",
            "{\"name\": \"Fleet\", \"interval_seconds\": 30}|name",
            "{\"name\": \"\", \"interval_seconds\": 30}|name",
            "{\"name\": [\"fleet\"], \"interval_seconds\": 30}|name",
            "{\"name\": \"fleet\"}|interval_seconds",
            "{\"name\": \"fleet\", \"interval_seconds\": 4}|interval_seconds",
            "{\"name\": \"fleet\", \"interval_seconds\": 86401}|interval_seconds",
            "{\"name\": \"fleet\", \"interval_seconds\": 1.5}|interval_seconds",
            "{\"name\": \"fleet\", \"interval_seconds\": \"30\"}|interval_seconds",
            "{\"name\": \"fleet\", \"interval_seconds\": 30, \"enabled\": \"yes\"}|enabled",
            "{\"name\": \"fleet\", \"interval_seconds\": 30, \"target\": \"two words\"}|target",
            "{\"name\": \"fleet\", \"interval_seconds\": 30, \"checks\": []}|checks",
            "{\"name\": \"fleet\", \"interval_seconds\": 30, \"checks\": [\"gpu\"]}|checks[0]",
            "{\"name\": \"fleet\", \"interval_seconds\": 30, \"thresholds\": {\"disk\": {\"warning\": 96, \"error\": 95}}}|thresholds.disk",
            "{\"name\": \"fleet\", \"interval_seconds\": 30, \"timeout_seconds\": 10}|body",
            "{\"name\": \"fleet\", \"interval_seconds\": 30, \"colour\": \"red\"}|body",
            "[]|body",
    })
    void aRequestThatBreaksARuleIsRefusedNamingTheField(String json, String field) {
        assertThatThrownBy(() -> schedule(json, null))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @Test
    void anUnknownFieldIsNamedInTheMessage() {
        assertThatThrownBy(() -> schedule("{\"name\": \"fleet\", \"interval_seconds\": 30, \"colour\": 1}", null))
                .hasMessageContaining("unknown field 'colour'");
    }

    @Test
    void aNameInThePutBodyMustBeTheOneOfItsPath() {
        assertThatThrownBy(() -> schedule("{\"name\": \"other\", \"interval_seconds\": 30}", "fleet"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThat(schedule("{\"name\": \"fleet\", \"interval_seconds\": 30}", "fleet").name()).isEqualTo("fleet");
    }

    @Test
    void theShortestIntervalIsTheOneConfigured() {
        ScheduleRequest request = new ScheduleRequest("fast", null, null, null, 1, null);

        assertThat(request.toSchedule(null, Duration.ofSeconds(1)).interval()).isEqualTo(Duration.ofSeconds(1));
        assertThatThrownBy(() -> request.toSchedule(null, Duration.ofSeconds(2)))
                .hasMessage("interval_seconds: must be from 2 to 86400 seconds (1 day), got 1");
    }

    @Test
    void checksKeepTheirOrder() {
        assertThat(schedule("{\"name\": \"f\", \"interval_seconds\": 30, \"checks\": [\"disk\", \"cpu\"]}", null)
                .request().checks()).isEqualTo(List.of(CheckName.DISK, CheckName.CPU));
    }
}
