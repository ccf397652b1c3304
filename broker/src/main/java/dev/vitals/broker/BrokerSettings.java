package dev.vitals.broker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.vitals.settings.Settings;
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
        Settings c = Settings.at(config, PATH);
        String uriText = c.config().getString("uri");
        URI uri;
        try {
            uri = URI.create(uriText);
        } catch (IllegalArgumentException e) {
            throw c.bad("uri", "'" + redact(uriText) + "' is not a URI: " + e.getMessage());
        }
        if (!"amqp".equals(uri.getScheme()) && !"amqps".equals(uri.getScheme())) {
            throw c.bad("uri", "must start with amqp:// or amqps://, got '" + redact(uriText) + "'");
        }
        if (uri.getHost() == null) {
            throw c.bad("uri", "names no host: '" + redact(uriText) + "'");
        }
        return new BrokerSettings(uri,
                c.durationBetween("connection-timeout", Duration.ofMillis(100), Duration.ofMinutes(10)),
                c.durationBetween("heartbeat", Duration.ofSeconds(1), Duration.ofMinutes(10)),
                c.durationBetween("reconnect-interval", Duration.ofMillis(10), Duration.ofMinutes(10)),
                c.durationBetween("max-reconnect-interval", Duration.ofMillis(10), Duration.ofHours(1)),
                c.durationBetween("publish-timeout", Duration.ofMillis(10), Duration.ofMinutes(10)),
                c.intBetween("task-queue.max-length", 1, 10_000_000),
                c.intBetween("task-queue.delivery-limit", 1, 100));
    }

    /** The URI without its password, for logs and messages. */
    public String safeUri() {
        return redact(uri.toString());
    }

    static String redact(String uri) {
        return uri.replaceFirst("//([^:/@]*):[^@/]*@", "//$1:****@");
    }

}
