package dev.vitals.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated request bodies for {@code POST /api/v1/health-checks}: random JSON trees over the request's field
 * names and others, truncated JSON, wrong types, nulls, huge numbers, deep nesting, duplicate keys, random
 * text. Every answer is 202 (a valid request) or a 4xx problem+json, within seconds; the one 5xx is the 503
 * (with Retry-After) for a valid request for target {@code all}, since no worker is alive here.
 */
class RequestBodyPropertiesTest {

    private static final RabbitMqExtension rabbit = new RabbitMqExtension();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> FIELDS = List.of("target", "checks", "thresholds", "timeout_seconds",
            "cpu", "memory", "disk", "load", "threads", "warning", "error", "any", "all", "x");

    /** jqwik runs no Jupiter extensions: opened and closed around the properties by hand. */
    private static final ApiExtension api = ApiExtension.on(rabbit);

    @BeforeContainer
    static void start() {
        api.open(RequestBodyPropertiesTest.class.getSimpleName());
    }

    @AfterContainer
    static void stop() throws SQLException {
        api.close();
    }

    @Property(tries = 400)
    void everyBodyGets202OrA4xxProblem(@ForAll("bodies") String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + api.port() + "/api/v1/health-checks"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        if (response.statusCode() == 202) {
            assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("queued");
            return;
        }
        if (response.statusCode() == 503) {
            assertThat(JSON.readTree(response.body()).get("detail").asText()).as(body)
                    .startsWith("no live worker to run a task for target 'all'");
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            return;
        }
        assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
        assertThat(problem.get("detail").asText()).isNotBlank()
                .doesNotContainPattern("(java|javax|com\\.fasterxml|dev\\.vitals)\\.[a-z]+\\.")
                .doesNotContain("Exception");
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, json(4)),
                net.jqwik.api.Tuple.of(3, requestLike()),
                net.jqwik.api.Tuple.of(2, truncated()),
                net.jqwik.api.Tuple.of(1, deepNesting()),
                net.jqwik.api.Tuple.of(1, duplicateKeys()),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(200)));
    }

    /** Any JSON value, nested up to {@code depth}. */
    private Arbitrary<String> json(int depth) {
        Arbitrary<String> leaf = Arbitraries.oneOf(
                Arbitraries.of("null", "true", "false", "0", "-1", "1e999", "-1e-999", "1.5", "NaN",
                        "99999999999999999999999999999", "-9223372036854775809", "2147483648", "\"\"", "\"any\"",
                        "\"all\"", "\"cpu\"", "\"gpu\""),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.strings().ofMaxLength(20).map(RequestBodyPropertiesTest::quote));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<String> array = json(depth - 1).list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
        Arbitrary<String> object = Combinators.combine(Arbitraries.oneOf(Arbitraries.of(FIELDS),
                        Arbitraries.strings().ofMaxLength(10)), json(depth - 1))
                .as((key, value) -> quote(key) + ":" + value).list().ofMaxSize(4)
                .map(members -> "{" + String.join(",", members) + "}");
        return Arbitraries.oneOf(leaf, array, object);
    }

    /** Objects with the request's fields, holding values of every type. */
    private Arbitrary<String> requestLike() {
        return Combinators.combine(Arbitraries.of(FIELDS.subList(0, 4)), json(2)).as((key, value) -> quote(key)
                + ":" + value).list().ofMinSize(1).ofMaxSize(4).map(members -> "{" + String.join(",", members) + "}");
    }

    private Arbitrary<String> truncated() {
        return Combinators.combine(requestLike(), Arbitraries.integers().between(0, 1000))
                .as((text, cut) -> text.substring(0, Math.min(text.length(), cut % (text.length() + 1))));
    }

    private Arbitrary<String> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(1, 5000), Arbitraries.of("[", "{\"checks\":"))
                .as((depth, open) -> open.repeat(depth) + (open.equals("[") ? "]" : "null}").repeat(depth));
    }

    private Arbitrary<String> duplicateKeys() {
        return Combinators.combine(Arbitraries.of(FIELDS.subList(0, 4)), json(1), json(1))
                .as((key, first, second) -> "{" + quote(key) + ":" + first + "," + quote(key) + ":" + second + "}");
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
