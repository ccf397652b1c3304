package dev.vitals.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The RabbitMQ management HTTP API.
 *
 * <p>Its queue counts come from statistics the broker collects periodically (every 5 s by default),
 * so they lag behind: poll for the value you expect.
 */
final class ManagementApi implements BrokerAdmin {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Longer than the default statistics interval, so a new queue's first statistics arrive within it. */
    private static final Duration STATISTICS_WAIT = Duration.ofSeconds(12);
    private static final Duration STATISTICS_POLL = Duration.ofMillis(200);
    private static final String QUEUE_COLUMNS = "columns=name,messages_ready,messages_unacknowledged,consumers";
    private static final String FULL_PERMISSIONS = "{\"configure\":\".*\",\"write\":\".*\",\"read\":\".*\"}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String authorization;
    private final HttpClient http;

    ManagementApi(URI management, BrokerAddress.Credentials credentials) {
        String path = management.getRawPath() == null ? "" : management.getRawPath().replaceFirst("/+$", "");
        this.base = management.getScheme() + "://" + management.getHost()
                + (management.getPort() < 0 ? "" : ":" + management.getPort()) + path;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (credentials.user() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** Why this API cannot be used, or empty when it answers to these credentials. */
    Optional<String> problem() {
        try {
            HttpResponse<String> response = send("GET", "/api/overview", null);
            return response.statusCode() == 200
                    ? Optional.empty()
                    : Optional.of("GET /api/overview answered HTTP " + response.statusCode());
        } catch (UncheckedIOException e) {
            return Optional.of("it did not answer: " + e.getCause());
        }
    }

    @Override
    public void createVhost(String vhost, String user) {
        expect(send("PUT", "/api/vhosts/" + BrokerAddress.encode(vhost), ""), 201, 204);
        expect(send("PUT", "/api/permissions/" + BrokerAddress.encode(vhost) + "/" + BrokerAddress.encode(user),
                FULL_PERMISSIONS), 201, 204);
    }

    @Override
    public void deleteVhost(String vhost) {
        expect(send("DELETE", "/api/vhosts/" + BrokerAddress.encode(vhost), null), 204, 404);
    }

    @Override
    public boolean vhostExists(String vhost) {
        return expect(send("GET", "/api/vhosts/" + BrokerAddress.encode(vhost), null), 200, 404).statusCode() == 200;
    }

    @Override
    public List<QueueInfo> queues(String vhost) {
        Instant deadline = Instant.now().plus(STATISTICS_WAIT);
        while (true) {
            JsonNode array = json(expect(
                    send("GET", "/api/queues/" + BrokerAddress.encode(vhost) + "?" + QUEUE_COLUMNS, null), 200));
            List<QueueInfo> queues = new ArrayList<>();
            for (JsonNode queue : array) {
                QueueInfo.fromJson(queue).ifPresent(queues::add);
            }
            if (queues.size() == array.size()) {
                return queues;
            }
            pauseBeforeRetry(deadline, "statistics of every queue in vhost " + vhost);
        }
    }

    @Override
    public Optional<QueueInfo> queue(String vhost, String name) {
        Instant deadline = Instant.now().plus(STATISTICS_WAIT);
        while (true) {
            HttpResponse<String> response = expect(send("GET", "/api/queues/" + BrokerAddress.encode(vhost) + "/"
                    + BrokerAddress.encode(name) + "?" + QUEUE_COLUMNS, null), 200, 404);
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            Optional<QueueInfo> queue = QueueInfo.fromJson(json(response));
            if (queue.isPresent()) {
                return queue;
            }
            pauseBeforeRetry(deadline, "statistics of queue " + name + " in vhost " + vhost);
        }
    }

    @Override
    public List<ClientConnection> connections(String vhost) {
        JsonNode array = json(expect(send("GET", "/api/vhosts/" + BrokerAddress.encode(vhost)
                + "/connections?columns=name,user_provided_name", null), 200));
        List<ClientConnection> connections = new ArrayList<>();
        array.forEach(connection -> {
            String name = connection.path("name").asText();
            connections.add(new ClientConnection(name, connection.path("user_provided_name").asText(name)));
        });
        return connections;
    }

    @Override
    public void closeConnection(String name) {
        expect(send("DELETE", "/api/connections/" + BrokerAddress.encode(name), null), 204, 404);
    }

    @Override
    public void clearPermissions(String vhost, String user) {
        expect(send("DELETE", "/api/permissions/" + BrokerAddress.encode(vhost) + "/" + BrokerAddress.encode(user),
                null), 204, 404);
    }

    @Override
    public void grantPermissions(String vhost, String user) {
        expect(send("PUT", "/api/permissions/" + BrokerAddress.encode(vhost) + "/" + BrokerAddress.encode(user),
                FULL_PERMISSIONS), 201, 204);
    }

    @Override
    public String description() {
        return "the management HTTP API at " + base;
    }

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", authorization)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + base + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + method + " " + base + path, e);
        }
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int... statuses) {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                return response;
            }
        }
        throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered HTTP "
                + response.statusCode() + ": " + response.body());
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(response.uri() + " answered something that is not JSON: "
                    + response.body(), e);
        }
    }

    private static void pauseBeforeRetry(Instant deadline, String awaited) {
        if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("The management API did not report the " + awaited + " within "
                    + STATISTICS_WAIT.toSeconds() + " s");
        }
        try {
            Thread.sleep(STATISTICS_POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the " + awaited, e);
        }
    }
}
