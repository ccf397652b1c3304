package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every bad request is answered 4xx with application/problem+json whose detail names what is wrong. */
class ApiValidationTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit);

    private static HttpCalls http;

    @BeforeAll
    static void start() {
        http = api.http();
    }

    private static JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json(response);
        assertThat(problem.get("type").asText()).isEqualTo("about:blank");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank().doesNotContain("\tat ").doesNotContain("dev.vitals");
        return problem;
    }

    @ParameterizedTest(name = "{0} -> names {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"checks\": [\"cpu\"|body",
            "[1, 2]|body",
            "null|body",
            "{\"colour\": \"red\"}|colour",
            "{\"checks\": [\"gpu\"]}|checks",
            "{\"checks\": []}|checks",
            "{\"thresholds\": {\"disk\": {\"warning\": 96, \"error\": 95}}}|thresholds.disk",
            "{\"thresholds\": {\"disk\": {\"warning\": 70, \"error\": 101}}}|thresholds.disk",
            "{\"thresholds\": {\"gpu\": {\"warning\": 70, \"error\": 80}}}|thresholds",
            "{\"timeout_seconds\": 0}|timeout_seconds",
            "{\"timeout_seconds\": 3601}|timeout_seconds",
            "{\"timeout_seconds\": \"30\"}|timeout_seconds",
            "{\"target\": \"no spaces allowed\"}|target",
            "{\"target\": 5}|target",
            "{\"checks\": [\"cpu\"], \"checks\": [\"disk\"]}|checks",
    })
    void aBadBodyIsRefusedWith400NamingTheField(String body, String field) {
        JsonNode problem = problem(http.post("/api/v1/health-checks", body), 400);

        assertThat(problem.get("detail").asText()).contains(field);
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWith415() {
        JsonNode problem = problem(http.post("/api/v1/health-checks", "target=any", "application/x-www-form-urlencoded"), 415);

        assertThat(problem.get("detail").asText()).contains("application/json");
    }

    @Test
    void aBodyWithoutContentTypeIsRefusedWith415() {
        problem(http.post("/api/v1/health-checks", "{}", null), 415);
    }

    @Test
    void aJsonContentTypeWithCharsetIsAccepted() {
        HttpResponse<String> response = http.post("/api/v1/health-checks", "{}", "application/json; charset=utf-8");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    @Test
    void aBodyOver64KiBIsRefusedWith413() {
        String body = "{\"target\": \"any\", \"pad\": \"" + "x".repeat(64 * 1024) + "\"}";

        problem(http.post("/api/v1/health-checks", body), 413);
    }

    @ParameterizedTest
    @CsvSource({"-1", "31", "soon", "1.5"})
    void aBadWaitIsRefusedWith400(String wait) {
        JsonNode problem = problem(http.post("/api/v1/health-checks?wait=" + wait, "{}"), 400);
        assertThat(problem.get("detail").asText()).contains("wait");

        JsonNode onGet = problem(http.get("/api/v1/health-checks/" + UUID.randomUUID() + "?wait=" + wait), 400);
        assertThat(onGet.get("detail").asText()).contains("wait");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "limit=0|limit",
            "limit=1001|limit",
            "limit=many|limit",
            "since=yesterday|since",
            "since=2026-13-01T00:00:00Z|since",
            "status=done|status",
            "worker_id=a%20b|worker_id",
    })
    void aBadListFilterIsRefusedWith400(String query, String field) {
        JsonNode problem = problem(http.get("/api/v1/health-checks?" + query), 400);

        assertThat(problem.get("detail").asText()).contains(field);
    }

    @Test
    void aTaskIdThatIsNotAUuidIsRefusedWith400() {
        JsonNode problem = problem(http.get("/api/v1/health-checks/not-a-uuid"), 400);

        assertThat(problem.get("detail").asText()).contains("task_id");
    }

    @Test
    void anUnknownTaskIs404() {
        UUID unknown = UUID.randomUUID();

        JsonNode problem = problem(http.get("/api/v1/health-checks/" + unknown), 404);

        assertThat(problem.get("detail").asText()).contains(unknown.toString());
    }

    @Test
    void anUnknownTaskIs404WithWaitToo() {
        problem(http.get("/api/v1/health-checks/" + UUID.randomUUID() + "?wait=2"), 404);
    }

    @Test
    void anUnknownRouteIs404ProblemJson() {
        problem(http.get("/api/v2/nothing-here"), 404);
    }

    @Test
    void aWrongMethodIs405ProblemJson() {
        problem(http.send("DELETE", "/api/v1/health-checks"), 405);
    }
}
