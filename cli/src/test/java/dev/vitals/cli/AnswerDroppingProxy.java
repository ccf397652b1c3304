package dev.vitals.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands between the CLI and a real API: forwards every request, and for the first {@code dropped} POSTs closes
 * the connection once the API has answered, without passing the answer on, as a network that fails at the worst
 * moment does. Keeps the {@code Idempotency-Key} of every POST it saw.
 */
final class AnswerDroppingProxy implements AutoCloseable {

    private static final List<String> FORWARDED = List.of("Content-Type", "Accept", "Authorization", "Idempotency-Key");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final String api;
    private final AtomicInteger toDrop;
    final List<String> postedKeys = new CopyOnWriteArrayList<>();

    AnswerDroppingProxy(String api, int dropped) throws IOException {
        this.api = api;
        this.toDrop = new AtomicInteger(dropped);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::forward);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + exchange.getRequestURI()))
                .timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String header : FORWARDED) {
            String value = exchange.getRequestHeaders().getFirst(header);
            if (value != null) {
                request.header(header, value);
            }
        }
        boolean post = exchange.getRequestMethod().equals("POST");
        if (post) {
            postedKeys.add(String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key")));
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        }
        if (post && toDrop.getAndDecrement() > 0) {
            exchange.close(); // the API made the task; its answer is lost on the way
            return;
        }
        response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
        response.headers().firstValue("Location").ifPresent(location -> exchange.getResponseHeaders().set("Location", location));
        exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
