package dev.vitals.api.messaging;

import dev.vitals.broker.BrokerConnection;
import java.io.IOException;

/**
 * Something that uses the broker once {@link BrokerLink} has connected and declared the shared topology:
 * a publisher opening its channel, a consumer declaring its queue and subscribing. The client library's
 * automatic recovery restores what {@link #start} made after the connection is lost and found again.
 */
public interface BrokerClient {

    /** Opens channels, declares this client's queues and bindings, starts consuming. */
    void start(BrokerConnection connection) throws IOException;

    /** Stops consuming or publishing; the connection is closed by {@link BrokerLink} afterwards. */
    void stop();
}
