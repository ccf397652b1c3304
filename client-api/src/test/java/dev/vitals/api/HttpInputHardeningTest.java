package dev.vitals.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests no client should send, written byte for byte on a socket so that nothing tidies them on the way:
 * each one gets a 4xx problem+json that names the problem, never a 5xx, an HTML page or a hang.
 */
class HttpInputHardeningTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The status line and headers, and the body, of an answer read until the server closes. */
    record Answer(int status, String head, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    private static Answer send(String requestLineAndHeaders, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLineAndHeaders + "Host: 127.0.0.1\r\nConnection: close\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = answer.indexOf("\r\n\r\n");
            String head = answer.substring(0, split);
            String rest = answer.substring(split + 4);
            if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
                rest = unchunk(rest);
            }
            return new Answer(Integer.parseInt(head.split(" ")[1]), head, rest);
        }
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).strip(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static Answer get(String target) throws IOException {
        return send("GET " + target + " HTTP/1.1\r\n", new byte[0]);
    }

    private static Answer post(String target, String contentType, String body) throws IOException {
        return send("POST " + target + " HTTP/1.1\r\n" + (contentType == null ? "" : "Content-Type: " + contentType
                + "\r\n"), body.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertProblem(Answer answer, int status) throws IOException {
        assertThat(answer.status()).as(answer.head() + "\n" + answer.body()).isEqualTo(status);
        assertThat(answer.head().toLowerCase(Locale.ROOT)).contains("content-type: application/problem+json");
        JsonNode problem = answer.json();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank().doesNotContain("java.").doesNotContain("Exception");
    }

    @Test
    void wrongContentTypeIs415() throws IOException {
        assertProblem(post("/api/v1/health-checks", "text/plain", "{}"), 415);
        assertProblem(post("/api/v1/health-checks", "application/x-www-form-urlencoded", "target=any"), 415);
    }

    @Test
    void aBodyWithoutContentTypeIs415() throws IOException {
        assertProblem(post("/api/v1/health-checks", null, "{}"), 415);
    }

    @Test
    void anEmptyBodyAsksForTheDefaults() throws IOException {
        Answer answer = post("/api/v1/health-checks", "application/json", "");
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/health-checks/../workers", "/api/v1/health-checks/%2e%2e/workers",
            "/api/v1/health-checks/abc%2Fdef", "/api/v1/health-checks/%2F..%2Fworkers",
            "/api/v1/health-checks/%00", "/api/v1/health-checks/%zz", "/api/v1/health-checks/;x=1",
            "/api/v1/health-checks//", "/api/v1/health-checks/%E2%82%AC"})
    void pathTricksAre4xxProblems(String target) throws IOException {
        Answer answer = get(target);
        assertThat(answer.status()).as(target + ": " + answer.head() + "\n" + answer.body()).isBetween(400, 499);
        assertProblem(answer, answer.status());
    }

    @Test
    void aVeryLongIdIs400() throws IOException {
        assertProblem(get("/api/v1/health-checks/" + "a".repeat(4000)), 400);
    }

    @Test
    void aVeryLongUrlIsA4xxProblem() throws IOException {
        Answer answer = get("/api/v1/health-checks/" + "a".repeat(100_000));
        assertThat(answer.status()).isBetween(400, 499);
        assertProblem(answer, answer.status());
    }

    @Test
    void hugeHeadersAreA4xxProblem() throws IOException {
        Answer answer = send("GET /api/v1/health-checks HTTP/1.1\r\nX-Big: " + "b".repeat(100_000) + "\r\n",
                new byte[0]);
        assertThat(answer.status()).isBetween(400, 499);
        assertProblem(answer, answer.status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"wait=-1", "wait=999", "wait=abc", "wait=", "wait=1e3", "wait=99999999999999999999",
            "limit=0", "limit=99999", "limit=-5", "limit=x", "since=yesterday", "since=2026-13-45T99:00:00Z",
            "status=done", "worker_id=%20", "since=%00"})
    void outOfRangeQueryValuesAre400(String query) throws IOException {
        String path = query.startsWith("wait") ? "/api/v1/health-checks/" + java.util.UUID.randomUUID()
                : "/api/v1/health-checks";
        assertProblem(get(path + "?" + query), 400);
        if (query.startsWith("wait")) {
            assertProblem(post("/api/v1/health-checks?" + query, "application/json", "{}"), 400);
        }
    }

    @Test
    void anUnknownMethodIsA4xxProblem() throws IOException {
        Answer answer = send("DELETE /api/v1/health-checks HTTP/1.1\r\n", new byte[0]);
        assertProblem(answer, 405);
        Answer nonsense = send("BREW /api/v1/health-checks HTTP/1.1\r\n", new byte[0]);
        assertThat(nonsense.status()).isBetween(400, 499);
    }
}
