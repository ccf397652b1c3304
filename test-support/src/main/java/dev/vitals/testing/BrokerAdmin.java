package dev.vitals.testing;

import java.util.List;
import java.util.Optional;

/** Creates and deletes vhosts and reads queues: what the tests need that AMQP cannot do. */
interface BrokerAdmin {

    /** Creates {@code vhost} and gives {@code user} every permission on it. */
    void createVhost(String vhost, String user);

    /** Deletes {@code vhost} with everything in it; nothing happens when it does not exist. */
    void deleteVhost(String vhost);

    boolean vhostExists(String vhost);

    /** The queues of {@code vhost}, in no particular order. */
    List<QueueInfo> queues(String vhost);

    /** The queue {@code name} of {@code vhost}; empty when there is none. */
    Optional<QueueInfo> queue(String vhost, String name);

    /**
     * The client connections open to {@code vhost}. Through the management API a new connection shows
     * after up to the broker's statistics interval (5 s by default), and a closed one may still show as long.
     */
    List<ClientConnection> connections(String vhost);

    /**
     * @param name       the broker's name for it ({@code 127.0.0.1:51234 -> 127.0.0.1:5672})
     * @param clientName the name the client gave it, or {@code name} when it gave none
     */
    record ClientConnection(String name, String clientName) {
    }

    /** Closes one client connection by its name, as an operator or a network fault would. */
    void closeConnection(String name);

    /** Takes every permission on {@code vhost} from {@code user}: new connections to it are refused. */
    void clearPermissions(String vhost, String user);

    /** Gives {@code user} every permission on {@code vhost} (again). */
    void grantPermissions(String vhost, String user);

    /** What this administers the broker through, for messages. */
    String description();

    /**
     * The management HTTP API when it answers, else {@code rabbitmqctl} when the broker runs on this
     * machine and the command works.
     *
     * @param rabbitmqctl the command to run as {@code rabbitmqctl}
     * @throws IllegalStateException naming why neither can be used
     */
    static BrokerAdmin choose(BrokerAddress broker, String rabbitmqctl) {
        ManagementApi api = new ManagementApi(broker.management(), broker.managementCredentials());
        Optional<String> apiProblem = api.problem();
        if (apiProblem.isEmpty()) {
            return api;
        }
        Optional<String> ctlProblem;
        Rabbitmqctl ctl = new Rabbitmqctl(rabbitmqctl);
        if (broker.isOnThisMachine()) {
            ctlProblem = ctl.problem();
        } else {
            ctlProblem = Optional.of("the broker is not on this machine, so " + rabbitmqctl
                    + " here cannot administer it");
        }
        if (ctlProblem.isEmpty()) {
            return ctl;
        }
        throw new IllegalStateException("""
                Cannot create a vhost for the tests on the broker at %s (found through %s): \
                the management HTTP API at %s cannot be used (%s), \
                and neither can %s (%s). Enable the management API (rabbitmq-plugins enable \
                rabbitmq_management) or set %s to where it answers, or run the tests on the broker's \
                machine with rabbitmqctl on the PATH."""
                .formatted(broker.safeAmqp(), broker.source(), BrokerAddress.redact(broker.management()),
                        apiProblem.get(), rabbitmqctl, ctlProblem.get(),
                        BrokerLocator.MANAGEMENT_URI_VARIABLE));
    }
}
