package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /api/v1/alerts} and {@code /api/v1/silences} over HTTP: answers, and a clear refusal of bad input. */
class ApiAlertRoutesTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit);

    private static HttpCalls http;

    @BeforeAll
    static void start() {
        http = api.http();
    }

    @Test
    void aSilenceIsCreatedReadListedAndDeleted() {
        Instant ends = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

        HttpResponse<String> created = http.post("/api/v1/silences",
                "{\"worker_id\": \"host-a-1\", \"check\": \"disk\", \"ends_at\": \"" + ends + "\","
                        + " \"reason\": \"disk replacement\"}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode silence = json(created);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo("/api/v1/silences/" + silence.get("id").asText());
        assertThat(silence.get("worker_id").asText()).isEqualTo("host-a-1");
        assertThat(silence.get("check").asText()).isEqualTo("disk");
        assertThat(Instant.parse(silence.get("ends_at").asText())).isEqualTo(ends);
        assertThat(silence.get("active").asBoolean()).isTrue();

        assertThat(json(http.get(location)).get("reason").asText()).isEqualTo("disk replacement");
        assertThat(json(http.get("/api/v1/silences")).get("silences")).anySatisfy(
                listed -> assertThat(listed.get("id").asText()).isEqualTo(silence.get("id").asText()));

        assertThat(http.send("DELETE", location).statusCode()).isEqualTo(204);
        assertThat(http.get(location).statusCode()).isEqualTo(404);
        assertThat(http.send("DELETE", location).statusCode()).isEqualTo(404);
    }

    @Test
    void alertsAreListedAndFiltered() {
        HttpResponse<String> all = http.get("/api/v1/alerts");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(json(all).get("alerts").isArray()).isTrue();
        assertThat(http.get("/api/v1/alerts?status=open&worker_id=host-a-1&limit=5").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} -> names {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"reason\": \"x\"}|ends_at",
            "{\"ends_at\": \"SOON\"}|reason",
            "{\"ends_at\": \"SOON\", \"reason\": \"  \"}|reason",
            "{\"ends_at\": \"2000-01-01T00:00:00Z\", \"reason\": \"x\"}|ends_at",
            "{\"starts_at\": \"2999-01-02T00:00:00Z\", \"ends_at\": \"2999-01-01T00:00:00Z\", \"reason\": \"x\"}|ends_at",
            // a silence may start later, but lasts at most 366 days
            "{\"starts_at\": \"2998-01-01T00:00:00Z\", \"ends_at\": \"2999-06-01T00:00:00Z\", \"reason\": \"x\"}|ends_at",
            "{\"ends_at\": \"tomorrow\", \"reason\": \"x\"}|ends_at",
            "{\"ends_at\": \"SOON\", \"reason\": \"x\", \"check\": \"gpu\"}|check",
            "{\"ends_at\": \"SOON\", \"reason\": \"x\", \"worker_id\": \"no spaces\"}|worker_id",
            "{\"ends_at\": \"SOON\", \"reason\": \"x\", \"colour\": \"red\"}|body",
            "[1]|body",
            "{|body",
    })
    void aBadSilenceIsRefusedNamingTheField(String body, String field) {
        String soon = Instant.now().plus(1, ChronoUnit.HOURS).toString();
        HttpResponse<String> refused = http.post("/api/v1/silences", body.replace("SOON", soon));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json(refused).get("field").asText()).isEqualTo(field);
    }

    @ParameterizedTest(name = "{0} -> names {1}")
    @CsvSource(delimiter = '|', value = {
            "/api/v1/alerts?status=closed|status",
            "/api/v1/alerts?limit=0|limit",
            "/api/v1/alerts?limit=many|limit",
            "/api/v1/alerts?worker_id=a%20b|worker_id",
            "/api/v1/silences/not-a-uuid|silence_id",
    })
    void aBadQueryIsRefusedNamingTheParameter(String path, String field) {
        HttpResponse<String> refused = http.get(path);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(json(refused).get("field").asText()).isEqualTo(field);
    }
}
