package dev.vitals.broker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.vitals.settings.Settings;
import com.rabbitmq.client.Address;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The broker settings of {@code vitals.broker} (see the broker module's {@code reference.conf}), read
 * and validated once.
 *
 * @param uri                  the broker, {@code amqp://} or {@code amqps://}: scheme, login and virtual host, and the
 *                             node to connect to when {@code nodes} names no other
 * @param nodes                the nodes to connect to, in any order: those of {@code addresses} (several nodes of one
 *                             cluster), else the one of {@code uri}
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
        List<Address> nodes,
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
        URI uri = amqpUri(c, "uri", c.config().getString("uri"));
        List<URI> listed = addresses(c, uri);
        if (!listed.isEmpty()) {
            uri = listed.getFirst();
        }
        List<Address> nodes = new ArrayList<>();
        for (URI node : listed.isEmpty() ? List.of(uri) : listed) {
            nodes.add(new Address(node.getHost(), port(node)));
        }
        return new BrokerSettings(uri, List.copyOf(nodes),
                c.durationBetween("connection-timeout", Duration.ofMillis(100), Duration.ofMinutes(10)),
                c.durationBetween("heartbeat", Duration.ofSeconds(1), Duration.ofMinutes(10)),
                c.durationBetween("reconnect-interval", Duration.ofMillis(10), Duration.ofMinutes(10)),
                c.durationBetween("max-reconnect-interval", Duration.ofMillis(10), Duration.ofHours(1)),
                c.durationBetween("publish-timeout", Duration.ofMillis(10), Duration.ofMinutes(10)),
                c.intBetween("task-queue.max-length", 1, 10_000_000),
                c.intBetween("task-queue.delivery-limit", 1, 100),
                queueLimits(c));
    }

    private static URI amqpUri(Settings c, String key, String text) {
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw c.bad(key, "'" + redact(text) + "' is not a URI: " + e.getMessage());
        }
        if (!"amqp".equals(uri.getScheme()) && !"amqps".equals(uri.getScheme())) {
            throw c.bad(key, "must start with amqp:// or amqps://, got '" + redact(text) + "'");
        }
        if (uri.getHost() == null) {
            throw c.bad(key, "names no host: '" + redact(text) + "'");
        }
        return uri;
    }

    /**
     * The nodes of {@code addresses}, each as a whole URI: an entry {@code host} or {@code host:port} takes scheme,
     * login and virtual host from {@code uri}; entries that are URIs must agree on those, as nodes of one cluster do.
     */
    private static List<URI> addresses(Settings c, URI uri) {
        String text = c.config().getString("addresses").strip();
        if (text.isEmpty()) {
            return List.of();
        }
        List<URI> nodes = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            String each = entry.strip();
            if (each.isEmpty()) {
                throw c.bad("addresses", "has an empty entry: '" + redact(text) + "' (a comma-separated list of"
                        + " amqp:// URIs or host:port)");
            }
            nodes.add(amqpUri(c, "addresses", each.contains("://") ? each
                    : uri.getScheme() + "://" + (uri.getRawUserInfo() == null ? "" : uri.getRawUserInfo() + "@")
                    + each + (uri.getRawPath() == null ? "" : uri.getRawPath())));
        }
        List<String> logins = nodes.stream().map(BrokerSettings::loginAndVhost).distinct().toList();
        if (logins.size() > 1) {
            throw c.bad("addresses", "names nodes with different schemes, logins or virtual hosts ("
                    + logins.stream().map(BrokerSettings::redact).collect(Collectors.joining(", "))
                    + "): list the nodes of one cluster, with one login and one virtual host");
        }
        return nodes;
    }

    private static String loginAndVhost(URI node) {
        return node.getScheme() + "://" + (node.getRawUserInfo() == null ? "" : node.getRawUserInfo() + "@") + "…"
                + (node.getRawPath() == null || node.getRawPath().isEmpty() ? "/" : node.getRawPath());
    }

    private static int port(URI node) {
        return node.getPort() > 0 ? node.getPort() : "amqps".equals(node.getScheme()) ? 5671 : 5672;
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
        return port(uri);
    }

    /** The virtual host the URI names, {@code /} when its path is empty. */
    public String vhost() {
        String path = uri.getPath();
        return path == null || path.isEmpty() || path.equals("/") ? "/" : path.substring(1);
    }

    /** The URI without its password, for logs and messages; with the other nodes when several are listed. */
    public String safeUri() {
        String safe = redact(uri.toString());
        return nodes.size() < 2 ? safe : safe + " (or " + nodes.subList(1, nodes.size()).stream()
                .map(Address::toString).collect(Collectors.joining(", ")) + ")";
    }

    /** The nodes as {@code host:port}, comma-separated, for messages. */
    public String nodeList() {
        return nodes.stream().map(Address::toString).collect(Collectors.joining(", "));
    }

    static String redact(String uri) {
        return uri.replaceFirst("//([^:/@]*):[^@/]*@", "//$1:****@");
    }

}
