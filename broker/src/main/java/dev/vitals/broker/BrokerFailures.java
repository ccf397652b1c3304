package dev.vitals.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * Turns what the RabbitMQ client throws into one line that says what is wrong and what to do: the broker's
 * {@code ACCESS_REFUSED}, {@code NOT_ALLOWED} and {@code PRECONDITION_FAILED} replies, and the network's
 * failures. The one place where a broker failure gets its wording.
 */
public final class BrokerFailures {

    private static final Pattern VHOST_NOT_FOUND = Pattern.compile("vhost (.*) not found");
    private static final Pattern VHOST_REFUSED = Pattern.compile("access to vhost '(.*)' refused for user '(.*)'");
    private static final Pattern RESOURCE_REFUSED =
            Pattern.compile("access to (queue|exchange) '(.*)' in vhost '(.*)' refused for user '(.*)'");

    private BrokerFailures() {
    }

    /**
     * Why connecting failed, in one line.
     *
     * @return a {@link BrokerRefusedException} when the broker refused the login, the vhost or the user's access to
     *         it (an operator must act); else an {@link IOException} naming the network's failure
     */
    public static IOException connectFailed(Exception failure, BrokerSettings settings) {
        String broker = "the broker at " + settings.safeUri();
        String user = settings.user();
        if (failure instanceof AuthenticationFailureException) {
            return new BrokerRefusedException(broker + " refused the login of user '" + user
                    + "' (wrong user name or password): put the right ones in RABBITMQ_URI (amqp://USER:PASSWORD@HOST:PORT/VHOST)"
                    + " or vitals.broker.uri, or set them on the broker: rabbitmqctl add_user " + user
                    + " PASSWORD (or change_password)");
        }
        Optional<String> closeText = closeText(failure, AMQP.NOT_ALLOWED);
        if (closeText.isPresent()) {
            Matcher missing = VHOST_NOT_FOUND.matcher(closeText.get());
            if (missing.find()) {
                String vhost = missing.group(1);
                return new BrokerRefusedException(broker + " has no vhost '" + vhost + "': create it (rabbitmqctl add_vhost "
                        + TopologyAdvice.shell(vhost) + " && rabbitmqctl set_permissions -p " + TopologyAdvice.shell(vhost)
                        + " " + TopologyAdvice.shell(user) + " '.*' '.*' '.*') or name an existing one as the path of"
                        + " RABBITMQ_URI (%2f for '/')");
            }
            Matcher refused = VHOST_REFUSED.matcher(closeText.get());
            if (refused.find()) {
                return new BrokerRefusedException("user '" + refused.group(2) + "' has no permissions on vhost '"
                        + refused.group(1) + "' at " + settings.safeUri() + ": " + grant(refused.group(1), refused.group(2)));
            }
            return new BrokerRefusedException(broker + " refused the connection: " + closeText.get());
        }
        Throwable cause = rootCause(failure);
        if (cause instanceof ConnectException && settings.nodes().size() > 1) {
            return new IOException("no node of " + settings.nodeList() + " accepts connections (the last: "
                    + cause.getMessage() + "): start RabbitMQ on one of them or correct RABBITMQ_URIS");
        }
        if (cause instanceof ConnectException) {
            return new IOException("nothing accepts connections at " + settings.nodeList() + " (" + cause.getMessage()
                    + "): start RabbitMQ there (bin/vitals up does it on this machine) or point RABBITMQ_URI at a running broker");
        }
        if (cause instanceof UnknownHostException) {
            return new IOException("the broker's host '" + settings.uri().getHost()
                    + "' is unknown (no such name): correct the host in RABBITMQ_URI");
        }
        if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException
                || cause instanceof NoRouteToHostException) {
            return new IOException(broker + " did not answer within " + settings.connectionTimeout().toMillis()
                    + " ms (" + cause.getClass().getSimpleName() + "): check that it runs and that nothing"
                    + " (a firewall, a wrong port) stands between");
        }
        if (cause instanceof SSLException) {
            return new IOException("TLS with " + broker + " failed (" + cause.getMessage()
                    + "): check the broker's certificate, or add its CA with -Djavax.net.ssl.trustStore");
        }
        return new IOException("cannot connect to " + broker + ": " + describe(failure));
    }

    /**
     * A channel the broker closed while declaring, in one line: an argument that differs (406), an access
     * refused (403); else empty.
     */
    static Optional<IOException> declarationRefused(IOException failure) {
        Optional<String> inequivalent = closeText(failure, AMQP.PRECONDITION_FAILED);
        if (inequivalent.isPresent()) {
            return Optional.of(Inequivalence.parse(inequivalent.get())
                    .<IOException>map(refused -> new TopologyConflictException(TopologyAdvice.conflict(refused)))
                    .orElseGet(() -> new TopologyConflictException("the broker refused a declaration: " + inequivalent.get())));
        }
        Optional<String> refused = closeText(failure, AMQP.ACCESS_REFUSED);
        if (refused.isPresent()) {
            Matcher resource = RESOURCE_REFUSED.matcher(refused.get());
            if (resource.find()) {
                return Optional.of(new BrokerRefusedException("user '" + resource.group(4) + "' may not declare "
                        + resource.group(1) + " '" + resource.group(2) + "' in vhost '" + resource.group(3)
                        + "' (Vitals declares its queues and exchanges, so it needs configure, write and read"
                        + " permissions): " + grant(resource.group(3), resource.group(4))));
            }
            return Optional.of(new BrokerRefusedException("the broker refused a declaration: " + refused.get()));
        }
        return Optional.empty();
    }

    private static String grant(String vhost, String user) {
        return "rabbitmqctl set_permissions -p " + TopologyAdvice.shell(vhost) + " " + TopologyAdvice.shell(user)
                + " '.*' '.*' '.*'";
    }

    /** The text of the broker's connection or channel close with this reply code, if that is what failed. */
    static Optional<String> closeText(Throwable failure, int replyCode) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ShutdownSignalException signal) {
                if (signal.getReason() instanceof AMQP.Connection.Close close && close.getReplyCode() == replyCode) {
                    return Optional.of(close.getReplyText());
                }
                if (signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == replyCode) {
                    return Optional.of(close.getReplyText());
                }
            }
        }
        return Optional.empty();
    }

    /** The channel the broker closed with this failure, if it did: its code and text. */
    static Optional<AMQP.Channel.Close> channelClose(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ShutdownSignalException signal && signal.getReason() instanceof AMQP.Channel.Close close) {
                return Optional.of(close);
            }
        }
        return Optional.empty();
    }

    /** The deepest cause's message, the broker's reply text for a close, or the class name when there is none. */
    public static String describe(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ShutdownSignalException signal) {
                if (signal.getReason() instanceof AMQP.Connection.Close close) {
                    return close.getReplyText();
                }
                if (signal.getReason() instanceof AMQP.Channel.Close close) {
                    return close.getReplyText();
                }
            }
        }
        Throwable root = rootCause(failure);
        @Nullable String message = root.getMessage() != null ? root.getMessage() : failure.getMessage();
        return message != null ? message : root.getClass().getSimpleName();
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
