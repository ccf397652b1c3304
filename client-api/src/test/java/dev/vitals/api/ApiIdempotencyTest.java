package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code Idempotency-Key} on {@code POST /api/v1/health-checks}, on one replica with a real broker and store. */
class ApiIdempotencyTest {

    private static final String TASKS = "/api/v1/health-checks";
    private static final String BODY = "{\"checks\": [\"cpu\"]}";

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit);

    /** A replica that never reaches its broker: every POST is refused with 503. */
    @RegisterExtension
    static final ApiExtension withoutBroker = ApiExtension.withoutBroker();

    private static Map<String, List<String>> key(String... values) {
        return Map.of("Idempotency-Key", List.of(values));
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    private static String taskId(HttpResponse<String> response) {
        return json(response).path("task_id").asText();
    }

    @Test
    void aRetryWithTheSameKeyAndBodyGetsTheFirstTaskWith200() {
        String key = newKey();
        HttpResponse<String> first = api.http().postWithHeaders(TASKS, BODY, key(key));
        HttpResponse<String> retry = api.http().postWithHeaders(TASKS, BODY, key(key));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(taskId(retry)).isEqualTo(taskId(first));
        assertThat(retry.headers().firstValue("Location")).hasValue(TASKS + "/" + taskId(first));
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json(retry).path("status").asText()).isEqualTo("queued");
        assertThat(tasksWithId(taskId(first))).isEqualTo(1);
    }

    @Test
    void withoutAKeyEveryPostMakesATask() {
        assertThat(taskId(api.http().post(TASKS, BODY))).isNotEqualTo(taskId(api.http().post(TASKS, BODY)));
    }

    @Test
    void aQuotedKeyAsTheDraftWritesItIsTheSameKeyUnquoted() {
        String key = newKey();
        HttpResponse<String> first = api.http().postWithHeaders(TASKS, BODY, key("\"" + key + "\""));
        HttpResponse<String> retry = api.http().postWithHeaders(TASKS, BODY, key(key));

        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(taskId(retry)).isEqualTo(taskId(first));
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedWith422() {
        String key = newKey();
        String first = taskId(api.http().postWithHeaders(TASKS, BODY, key(key)));
        HttpResponse<String> other = api.http().postWithHeaders(TASKS, "{\"checks\": [\"disk\"]}", key(key));

        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(other).path("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(json(other).path("detail").asText()).contains("another request body", first);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"\"", "has space", "tab\there", "\"a\"b\""})
    void aKeyThatIsEmptyOrNotVisibleAsciiIsRefusedWith400NamingTheHeader(String bad) {
        HttpResponse<String> refused = api.http().postWithHeaders(TASKS, BODY, key(bad));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).path("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(json(refused).path("detail").asText()).startsWith("Idempotency-Key: ");
    }

    @Test
    void aKeyLongerThan255CharactersIsRefusedWith400() {
        HttpResponse<String> refused = api.http().postWithHeaders(TASKS, BODY, key("k".repeat(256)));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).path("detail").asText()).contains("at most 255 characters");
        assertThat(api.http().postWithHeaders(TASKS, BODY, key("k".repeat(255))).statusCode()).isEqualTo(202);
    }

    @Test
    void twoKeysInOneRequestAreRefusedWith400() {
        HttpResponse<String> refused = api.http().postWithHeaders(TASKS, BODY, key(newKey(), newKey()));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(json(refused).path("field").asText()).isEqualTo("Idempotency-Key");
    }

    @Test
    void aBadBodyIsRefusedWith400AndDoesNotTakeTheKey() {
        String key = newKey();
        assertThat(api.http().postWithHeaders(TASKS, "{\"checks\": [\"nope\"]}", key(key)).statusCode()).isEqualTo(400);

        assertThat(api.http().postWithHeaders(TASKS, BODY, key(key)).statusCode()).isEqualTo(202);
    }

    @Test
    void keysAreScopedPerBearerToken() {
        Api locked = api.start(Map.of("vitals.api.tokens", "token-a,token-b"));
        String key = newKey();
        HttpResponse<String> byA = new HttpCalls(locked.port()).withToken("token-a").postWithHeaders(TASKS, BODY, key(key));
        HttpResponse<String> byB = new HttpCalls(locked.port()).withToken("token-b").postWithHeaders(TASKS, BODY, key(key));
        HttpResponse<String> byAAgain = new HttpCalls(locked.port()).withToken("token-a").postWithHeaders(TASKS, BODY, key(key));

        assertThat(byA.statusCode()).isEqualTo(202);
        assertThat(byB.statusCode()).isEqualTo(202);
        assertThat(taskId(byB)).isNotEqualTo(taskId(byA));
        assertThat(byAAgain.statusCode()).isEqualTo(200);
        assertThat(taskId(byAAgain)).isEqualTo(taskId(byA));
    }

    @Test
    void aReplayWaitsLikeAGetWhenAskedTo() {
        String key = newKey();
        String first = taskId(api.http().postWithHeaders(TASKS, BODY, key(key)));
        long started = System.nanoTime();
        HttpResponse<String> retry = api.http().postWithHeaders(TASKS + "?wait=1", BODY, key(key));

        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(taskId(retry)).isEqualTo(first);
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(900_000_000L); // no worker: it stays queued
    }

    @Test
    void aRefusedFirstRequestLeavesTheKeyFreeForTheRetry() {
        String key = newKey();
        HttpCalls calls = withoutBroker.http();
        HttpResponse<String> first = calls.postWithHeaders(TASKS, BODY, key(key));
        HttpResponse<String> retry = calls.postWithHeaders(TASKS, BODY, key(key));

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(retry.statusCode()).as("not 409: the key was released").isEqualTo(503);
        assertThat(json(withoutBroker.http().get(TASKS)).path("tasks")).isEmpty();
    }

    private static long tasksWithId(String taskId) {
        JsonNode tasks = json(api.http().get(TASKS + "?limit=1000")).path("tasks");
        long count = 0;
        for (JsonNode task : tasks) {
            if (task.path("task_id").asText().equals(taskId)) {
                count++;
            }
        }
        return count;
    }
}
