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
 * @param queueLimits          whether the shared queues are declared with their limits as arguments, or left to a
 *                             policy
 */
public record BrokerSettings(
        URI uri,
        Duration connectionTimeout,
        Duration heartbeat,
        Duration reconnectInterval,
        Duration maxReconnectInterval,
        Duration publishTimeout,
        int taskQueueMaxLength,
        int taskDeliveryLimit,
        QueueLimits queueLimits) {

    private static final String PATH = "vitals.broker";

    /**
     * Where the limits of the shared queues ({@code maintenance_tasks}, {@code maintenance_tasks.dead}: dead-lettering,
     * delivery limit, length, overflow) come from.
     */
    public enum QueueLimits {
        /** Declared as queue arguments when Vitals creates the queue: safe without anything else, fixed for the queue's life. */
        ARGUMENTS,
        /** Left to a policy the operator sets (and may change at any time); the queues are declared with their type alone. */
        POLICY
    }

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
                c.intBetween("task-queue.delivery-limit", 1, 100),
                queueLimits(c));
    }

    private static QueueLimits queueLimits(Settings c) {
        String value = c.config().getString("queue-limits");
        return switch (value) {
            case "arguments" -> QueueLimits.ARGUMENTS;
            case "policy" -> QueueLimits.POLICY;
            default -> throw c.bad("queue-limits", "must be arguments or policy, got '" + value + "'");
        };
    }

    /** The user name of the URI, {@code guest} when it names none (the client's default). */
    public String user() {
        String userInfo = uri.getUserInfo();
        if (userInfo == null || userInfo.isEmpty()) {
            return "guest";
        }
        int colon = userInfo.indexOf(':');
        return colon < 0 ? userInfo : userInfo.substring(0, colon);
    }

    /** The port of the URI, or AMQP's default for its scheme. */
    public int port() {
        return uri.getPort() > 0 ? uri.getPort() : "amqps".equals(uri.getScheme()) ? 5671 : 5672;
    }

    /** The virtual host the URI names, {@code /} when its path is empty. */
    public String vhost() {
        String path = uri.getPath();
        return path == null || path.isEmpty() || path.equals("/") ? "/" : path.substring(1);
    }

    /** The URI without its password, for logs and messages. */
    public String safeUri() {
        return redact(uri.toString());
    }

    static String redact(String uri) {
        return uri.replaceFirst("//([^:/@]*):[^@/]*@", "//$1:****@");
    }

}
