package dev.vitals.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.model.ValidationException;
import dev.vitals.model.task.TaskRequest;
import org.junit.jupiter.api.Test;

class JsonErrorsTest {

    private final ObjectMapper json = VitalsJson.newMapper();

    private ValidationException problemWith(String body) {
        JacksonException e = catchThrowableOfType(JacksonException.class, () -> json.readValue(body, TaskRequest.class));
        assertThat(e).as("expected %s to be refused", body).isNotNull();
        return JsonErrors.describe(e, "body", "");
    }

    @Test
    void malformedJsonNamesTheBody() {
        ValidationException problem = problemWith("{\"checks\": [");

        assertThat(problem.field()).isEqualTo("body");
        assertThat(problem.getMessage()).startsWith("body: is not valid JSON");
    }

    @Test
    void unknownFieldIsNamed() {
        assertThat(problemWith("{\"target\": \"any\", \"colour\": 1}").getMessage())
                .isEqualTo("body: unknown field 'colour'");
    }

    @Test
    void unknownCheckNamesItsIndex() {
        ValidationException problem = problemWith("{\"checks\": [\"cpu\", \"gpu\"]}");

        assertThat(problem.field()).isEqualTo("checks[1]");
        assertThat(problem.getMessage()).contains("unknown check 'gpu'").contains("known checks are");
    }

    @Test
    void wrongTypeNamesTheField() {
        ValidationException problem = problemWith("{\"timeout_seconds\": \"soon\"}");

        assertThat(problem.field()).isEqualTo("timeout_seconds");
        assertThat(problem.getMessage()).doesNotContain("java.").doesNotContain("class ");
    }

    @Test
    void unknownCheckAsAThresholdsKeyIsNamedWithoutJavaClassNames() {
        ValidationException problem = problemWith("{\"thresholds\": {\"gpu\": {\"warning\": 1, \"error\": 2}}}");

        assertThat(problem.field()).isEqualTo("thresholds");
        assertThat(problem.getMessage()).isEqualTo(
                "thresholds: unknown check 'gpu'; known checks are cpu, memory, disk, load, threads")
                .doesNotContain("java.").doesNotContain("Exception");
    }

    @Test
    void thresholdMissingALimitNamesTheCheck() {
        ValidationException problem = problemWith("{\"thresholds\": {\"disk\": {\"warning\": 70}}}");

        assertThat(problem.field()).isEqualTo("thresholds.disk");
        assertThat(problem.getMessage()).contains("needs both 'warning' and 'error'");
    }

    @Test
    void invalidTargetKeepsTheModelsMessage() {
        ValidationException problem = problemWith("{\"target\": \"no spaces please\"}");

        assertThat(problem.field()).isEqualTo("target");
        assertThat(problem.getMessage()).startsWith("target: must be 'any', 'all' or a worker id");
    }

    @Test
    void prefixIsPutBeforeFieldPaths() {
        JacksonException e = catchThrowableOfType(JacksonException.class,
                () -> json.readValue("{\"checks\": [\"gpu\"]}", TaskRequest.class));

        assertThat(JsonErrors.describe(e, "body", "payload").field()).isEqualTo("payload.checks[0]");
    }

    @Test
    void aFractionWhereAWholeNumberBelongsIsNamedInWords() {
        ValidationException problem = problemWith("{\"timeout_seconds\": 30.5}");

        assertThat(problem.field()).isEqualTo("timeout_seconds");
        assertThat(problem.getMessage()).contains("a whole number").doesNotContain("value value").doesNotContain("java.");
    }
}
