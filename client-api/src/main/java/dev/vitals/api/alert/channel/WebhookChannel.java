package dev.vitals.api.alert.channel;

import dev.vitals.api.alert.Notification;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * POSTs each notification as {@link WebhookBody JSON} to a URL. With a secret, the body is signed:
 * {@code X-Vitals-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>}, which the receiver
 * computes again to know the body came from Vitals unchanged. {@code X-Vitals-Notification-Id} is the same
 * on every retry of one notification, so that a receiver can drop what it already has.
 */
public final class WebhookChannel implements Channel {

    public static final String SIGNATURE_HEADER = "X-Vitals-Signature";
    public static final String NOTIFICATION_ID_HEADER = "X-Vitals-Notification-Id";

    private final String name;
    private final URI url;
    private final @Nullable String secret;
    private final WebhookBody bodies;
    private final JsonPost post;

    /** @param secret the signing secret; null or empty: bodies are not signed */
    public WebhookChannel(String name, URI url, @Nullable String secret, WebhookBody bodies, Duration timeout) {
        this.name = name;
        this.url = url;
        this.secret = secret == null || secret.isEmpty() ? null : secret;
        this.bodies = bodies;
        this.post = new JsonPost(timeout);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "webhook";
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        byte[] body = bodies.json(notification);
        Map<String, String> headers = secret == null
                ? Map.of(NOTIFICATION_ID_HEADER, notification.id().toString())
                : Map.of(NOTIFICATION_ID_HEADER, notification.id().toString(), SIGNATURE_HEADER, signature(secret, body));
        post.post(url, body, headers, "webhook '" + name + "' at " + JsonPost.hostOf(url));
    }

    /** {@code sha256=} and the hex HMAC-SHA256 of {@code body} with {@code secret}, as the header carries it. */
    public static String signature(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "webhook '" + name + "' at " + JsonPost.hostOf(url) + (secret == null ? "" : ", signed");
    }
}
