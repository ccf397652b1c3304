package dev.vitals.broker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.URI;
import java.time.Duration;

/**
 * The broker settings of {@code vitals.broker} (see the broker module's {@code reference.conf}), read
 * and validated once.
 *
 * @param uri                  the broker, {@code amqp://} or {@code amqps://}
 * @param connectionTimeout    TCP connect and handshake limit
 * @param heartbeat            AMQP heartbeat interval
 * @param reconnectInterval    first delay between connection attempts
 * @param maxReconnectInterval longest delay between connection attempts
 * @param publishTimeout       longest wait for a publisher confirm
 * @param taskQueueMaxLength   {@code x-max-length} of {@code maintenance_tasks}
 * @param taskDeliveryLimit    {@code x-delivery-limit} of {@code maintenance_tasks}
 */
public record BrokerSettings(
        URI uri,
        Duration connectionTimeout,
        Duration heartbeat,
        Duration reconnectInterval,
        Duration maxReconnectInterval,
        Duration publishTimeout,
        int taskQueueMaxLength,
        int taskDeliveryLimit) {

    private static final String PATH = "vitals.broker";

    /**
     * Reads {@code vitals.broker} from {@code config}.
     *
     * @throws ConfigException.BadValue naming the key, the value and what is allowed
     */
    public static BrokerSettings from(Config config) {
        Config c = config.getConfig(PATH);
        String uriText = c.getString("uri");
        URI uri;
        try {
            uri = URI.create(uriText);
        } catch (IllegalArgumentException e) {
            throw bad("uri", "'" + redact(uriText) + "' is not a URI: " + e.getMessage());
        }
        if (!"amqp".equals(uri.getScheme()) && !"amqps".equals(uri.getScheme())) {
            throw bad("uri", "must start with amqp:// or amqps://, got '" + redact(uriText) + "'");
        }
        if (uri.getHost() == null) {
            throw bad("uri", "names no host: '" + redact(uriText) + "'");
        }
        return new BrokerSettings(uri,
                positive(c, "connection-timeout"),
                positive(c, "heartbeat"),
                positive(c, "reconnect-interval"),
                positive(c, "max-reconnect-interval"),
                positive(c, "publish-timeout"),
                between(c, "task-queue.max-length", 1, 10_000_000),
                between(c, "task-queue.delivery-limit", 1, 100));
    }

    /** The URI without its password, for logs and messages. */
    public String safeUri() {
        return redact(uri.toString());
    }

    static String redact(String uri) {
        return uri.replaceFirst("//([^:/@]*):[^@/]*@", "//$1:****@");
    }

    private static Duration positive(Config c, String key) {
        Duration value = c.getDuration(key);
        if (value.isNegative() || value.isZero()) {
            throw bad(key, "must be a positive duration, got " + value);
        }
        return value;
    }

    private static int between(Config c, String key, int min, int max) {
        int value = c.getInt(key);
        if (value < min || value > max) {
            throw bad(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    private static ConfigException.BadValue bad(String key, String message) {
        return new ConfigException.BadValue(PATH + "." + key, message);
    }
}
