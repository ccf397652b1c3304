package dev.vitals.api.alert.channel;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs a JSON body and says how the receiver answered. Shared by the channels that speak HTTP. Error
 * messages name the receiver by its host only: Slack's and Telegram's URLs carry their secrets in the path.
 */
final class JsonPost {

    /** At most this much of a refusing receiver's answer is kept in the error. */
    private static final int MAX_ANSWER_CHARS = 200;

    private final HttpClient client;
    private final Duration timeout;

    JsonPost(Duration timeout) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * @param receiver how errors name the receiver, without secrets
     * @return the answer's body, once the receiver answered 2xx
     */
    String post(URI uri, byte[] body, Map<String, String> headers, String receiver) throws DeliveryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "vitals-alerts")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new DeliveryException(receiver + " did not answer within " + timeout.toMillis() + " ms", false);
        } catch (IOException e) {
            throw new DeliveryException(receiver + " could not be reached: " + describe(e), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryException("interrupted while sending to " + receiver, false);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        // A receiver that is busy or broken may take it later; one that refuses the request will refuse it again.
        boolean permanent = status >= 400 && status < 500 && status != 408 && status != 429;
        throw new DeliveryException(receiver + " answered " + status + answer(response.body()), permanent);
    }

    private static String answer(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ": " + (oneLine.length() > MAX_ANSWER_CHARS ? oneLine.substring(0, MAX_ANSWER_CHARS) + "…" : oneLine);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " (" + message + ")");
    }

    /** {@code host:port} of a URI, to name a receiver without the secrets a path or query may hold. */
    static String hostOf(URI uri) {
        return uri.getPort() == -1 ? String.valueOf(uri.getHost()) : uri.getHost() + ":" + uri.getPort();
    }
}
