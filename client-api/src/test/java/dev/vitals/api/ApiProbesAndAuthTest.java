package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Probes, and bearer tokens when some are configured. */
class ApiProbesAndAuthTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit).with("vitals.api.tokens", "first-token,second-token");

    @Test
    void pingAnswersOkInPlainText() {
        HttpResponse<String> response = api.http().get("/health/ping");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
    }

    @Test
    void liveStartupAndReadyAnswer200WhenAllIsWell() {
        HttpCalls http = api.http();

        assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
        assertThat(json(http.get("/health/startup")).get("status").asText()).isEqualTo("up");
        HttpResponse<String> ready = http.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("checks").get("broker").get("status").asText()).isEqualTo("up");
        assertThat(json(ready).get("checks").get("store").get("status").asText()).isEqualTo("up");
    }

    @Test
    void apiCallsWithoutATokenAre401ProblemJson() {
        HttpResponse<String> response = api.http().get("/api/v1/health-checks");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    }

    @Test
    void apiCallsWithAWrongTokenAre401() {
        HttpResponse<String> response = api.http().withToken("first-token-but-longer")
                .post("/api/v1/health-checks", "{}");

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void apiCallsWithAnyConfiguredTokenPass() {
        assertThat(api.http().withToken("first-token").get("/api/v1/health-checks").statusCode())
                .isEqualTo(200);
        assertThat(api.http().withToken("second-token").post("/api/v1/health-checks", "{}")
                .statusCode()).isEqualTo(202);
    }

    @Test
    void probesNeedNoToken() {
        assertThat(api.http().get("/health/ready").statusCode()).isEqualTo(200);
    }

    /** The page asks for a token itself; what it reads (the fleet, the stream, the badges) is the API's and needs one. */
    @Test
    void theDashboardsFilesNeedNoTokenButWhatTheyReadDoes() {
        assertThat(api.http().get("/").statusCode()).isEqualTo(200);
        assertThat(api.http().get("/app.js").statusCode()).isEqualTo(200);
        for (String path : new String[] {"/api/v1/fleet", "/api/v1/stream", "/api/v1/workers/w-1/badge.svg"}) {
            assertThat(api.http().get(path).statusCode()).as(path).isEqualTo(401);
        }
        assertThat(api.http().withToken("first-token").get("/api/v1/fleet").statusCode()).isEqualTo(200);
    }
}
