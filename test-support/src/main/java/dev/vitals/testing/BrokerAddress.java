package dev.vitals.testing;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * Where a broker is and how to reach it.
 *
 * @param amqp       the broker's AMQP URI; its path (the vhost) is ignored
 * @param management the base of its management HTTP API, with credentials in the user info when they
 *                   differ from the AMQP ones
 * @param source     how it was found, for messages
 */
record BrokerAddress(URI amqp, URI management, String source) {

    static final String DEFAULT_USER = "guest";
    static final String DEFAULT_PASSWORD = "guest";
    static final int DEFAULT_MANAGEMENT_PORT = 15672;

    BrokerAddress {
        if (!"amqp".equals(amqp.getScheme()) && !"amqps".equals(amqp.getScheme())) {
            throw new IllegalArgumentException(
                    "The broker URI must start with amqp:// or amqps://, got " + redact(amqp));
        }
        if (amqp.getHost() == null) {
            throw new IllegalArgumentException("The broker URI names no host: " + redact(amqp));
        }
    }

    /** The broker at {@code amqp}, its management API on the same host at the default port. */
    static BrokerAddress withDefaultManagement(URI amqp, String source) {
        URI management = URI.create("http://" + amqp.getHost() + ":" + DEFAULT_MANAGEMENT_PORT);
        return new BrokerAddress(amqp, management, source);
    }

    /** A user and password, decoded. */
    record Credentials(String user, String password) {}

    /** The AMQP user, {@code guest} when the URI names none. */
    String user() {
        return credentials(amqp).user();
    }

    /** The management API's user and password: its URI's own, or else the AMQP ones. */
    Credentials managementCredentials() {
        return management.getUserInfo() != null ? credentials(management) : credentials(amqp);
    }

    /** The AMQP URI of {@code vhost} on this broker, keeping credentials and query parameters. */
    URI amqpFor(String vhost) {
        String query = amqp.getRawQuery() == null ? "" : "?" + amqp.getRawQuery();
        return URI.create(amqp.getScheme() + "://" + amqp.getRawAuthority() + "/" + encode(vhost) + query);
    }

    /** Whether the broker runs on this machine, so that {@code rabbitmqctl} here can administer it. */
    boolean isOnThisMachine() {
        try {
            return InetAddress.getByName(amqp.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The AMQP URI without its password. */
    String safeAmqp() {
        return redact(amqp);
    }

    static String redact(URI uri) {
        return uri.toString().replaceFirst("//([^:/@]*):[^@/]*@", "//$1:****@");
    }

    /** One path segment, percent-encoded: a vhost or queue name may hold '/', '%' or spaces. */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Credentials credentials(URI uri) {
        String userInfo = uri.getUserInfo();
        if (userInfo == null || userInfo.isEmpty()) {
            return new Credentials(DEFAULT_USER, DEFAULT_PASSWORD);
        }
        int colon = userInfo.indexOf(':');
        return colon < 0
                ? new Credentials(userInfo, "")
                : new Credentials(userInfo.substring(0, colon), userInfo.substring(colon + 1));
    }
}
