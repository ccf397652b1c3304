package dev.vitals.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitals.model.HealthReport;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.StatusAggregator;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.model.task.TaskStatus;
import dev.vitals.model.task.TaskWait;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Runs one check through the client API: {@code POST} with {@code ?wait} and an {@code Idempotency-Key} (a random
 * UUID, the same on every retry of that POST), then {@code GET ?wait} until the task is finished or the time is up. Every failure becomes a {@link CheckOutcome.NotCarriedOut} that says
 * what happened; nothing is thrown.
 */
public final class ApiClient {

    /** The most times one check's task is posted. */
    static final int POST_ATTEMPTS = 3;
    /** The pause before posting again when the API does not say how long ({@code Retry-After}). */
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** Answers after which the same task is posted again: in progress elsewhere (409), or not now (502-504). */
    private static final java.util.Set<Integer> RETRIED_STATUSES = java.util.Set.of(409, 502, 503, 504);

    private final HttpClient http;
    private final ObjectMapper json = VitalsJson.newMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final URI api;
    private final @Nullable String token;
    private final Clock clock;

    public ApiClient(URI api, @Nullable String token, Clock clock) {
        this.api = api;
        this.token = token;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public CheckOutcome check(String target, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        try {
            ObjectNode body = json.createObjectNode()
                    .put("target", target)
                    .put("timeout_seconds", timeout.toSeconds());
            HttpResponse<String> response = post(json.writeValueAsString(body), deadline);
            if (response.statusCode() != 200 && response.statusCode() != 202) {
                return refused(response);
            }
            JsonNode task = json.readTree(response.body());
            String location = "/api/v1/health-checks/" + task.path("task_id").asText();
            while (!isTerminal(task) && Duration.between(clock.instant(), deadline).compareTo(Duration.ofSeconds(1)) >= 0) {
                response = send(HttpRequest.newBuilder(url(location, deadline)).GET(), deadline);
                if (response.statusCode() != 200) {
                    return refused(response);
                }
                task = json.readTree(response.body());
            }
            return outcome(task, response.body());
        } catch (IOException e) {
            return new CheckOutcome.NotCarriedOut("cannot reach the API at " + api + ": " + describe(e), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CheckOutcome.NotCarriedOut("interrupted", null);
        }
    }

    /**
     * Posts the task, again with the same body and the same {@code Idempotency-Key} when no answer came (the
     * connection failed or was dropped) or the API asked to retry (503, or 409: the first attempt is still in
     * progress), up to {@value #POST_ATTEMPTS} times while time is left: however many attempts reach the API, they
     * make one task.
     */
    private HttpResponse<String> post(String body, Instant deadline) throws IOException, InterruptedException {
        String key = "\"" + UUID.randomUUID() + "\"";
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response;
            Duration pause = RETRY_PAUSE;
            try {
                response = send(HttpRequest.newBuilder(url("/api/v1/health-checks", deadline))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body)), deadline);
                if (!RETRIED_STATUSES.contains(response.statusCode())) {
                    return response;
                }
                pause = response.headers().firstValueAsLong("Retry-After").stream()
                        .mapToObj(Duration::ofSeconds).findFirst().orElse(RETRY_PAUSE);
            } catch (IOException e) {
                if (attempt >= POST_ATTEMPTS || !timeLeftFor(pause, deadline)) {
                    throw e;
                }
                Thread.sleep(pause.toMillis());
                continue;
            }
            if (attempt >= POST_ATTEMPTS || !timeLeftFor(pause, deadline)) {
                return response;
            }
            Thread.sleep(pause.toMillis());
        }
    }

    /** Whether a retry after {@code pause} still leaves at least a second before the deadline. */
    private boolean timeLeftFor(Duration pause, Instant deadline) {
        return Duration.between(clock.instant().plus(pause), deadline).compareTo(Duration.ofSeconds(1)) >= 0;
    }

    private URI url(String path, Instant deadline) {
        long left = Math.max(0, Duration.between(clock.instant(), deadline).toSeconds());
        return URI.create(api + path + "?wait=" + Math.min(left, TaskWait.MAX_SECONDS));
    }

    private HttpResponse<String> send(HttpRequest.Builder request, Instant deadline)
            throws IOException, InterruptedException {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        Duration left = Duration.between(clock.instant(), deadline);
        request.timeout(left.plusSeconds(5));
        return http.send(request.header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private CheckOutcome outcome(JsonNode task, String taskJson) throws IOException {
        String status = task.path("status").asText();
        return switch (status) {
            case "completed" -> completed(task, taskJson);
            case "failed" -> new CheckOutcome.NotCarriedOut("task failed: " + task.path("error").asText(), taskJson);
            case "expired" -> new CheckOutcome.NotCarriedOut("task expired: " + task.path("error").asText(), taskJson);
            default -> new CheckOutcome.NotCarriedOut("timed out: the task is still " + status, taskJson);
        };
    }

    private CheckOutcome completed(JsonNode task, String taskJson) throws IOException {
        JsonNode result = task.path("result");
        List<HealthReport> reports = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        if (result.has("reports")) {
            for (JsonNode report : result.path("reports")) {
                reports.add(json.treeToValue(report, HealthReport.class));
            }
            result.path("missing_workers").forEach(worker -> missing.add(worker.asText()));
        } else {
            reports.add(json.treeToValue(result, HealthReport.class));
        }
        HealthStatus worst = StatusAggregator.ofReports(reports.stream().map(HealthReport::status).toList());
        return new CheckOutcome.Completed(taskJson, worst, reports, missing);
    }

    private CheckOutcome refused(HttpResponse<String> response) {
        String detail = response.body();
        try {
            JsonNode problem = json.readTree(response.body());
            if (problem.hasNonNull("detail")) {
                detail = problem.path("detail").asText();
            }
        } catch (IOException e) {
            // not problem+json: show the body as it is
        }
        return new CheckOutcome.NotCarriedOut("the API answered " + response.statusCode() + ": " + detail, null);
    }

    private static boolean isTerminal(JsonNode task) {
        try {
            return TaskStatus.of(task.path("status").asText()).isTerminal();
        } catch (IllegalArgumentException e) {
            return false; // a status this CLI does not know yet: keep waiting until the time is up
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
