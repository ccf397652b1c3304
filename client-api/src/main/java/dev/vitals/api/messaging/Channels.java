package dev.vitals.api.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** Small helpers around the RabbitMQ client's channels. */
final class Channels {

    private Channels() {
    }

    /**
     * True when {@code e} says the broker closed the channel because a declaration's arguments differ from
     * those of the queue or exchange that exists ({@code PRECONDITION_FAILED}); the channel is closed then.
     */
    static boolean isPreconditionFailed(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == AMQP.PRECONDITION_FAILED;
    }

    /** The broker's explanation of a channel it closed, else the exception's message. */
    static String reason(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && signal.getReason() instanceof AMQP.Channel.Close close ? close.getReplyText() : e.getMessage();
    }

    /**
     * Lets go of a channel the broker closed: without a close of its own, the client's recovery would open
     * it again with every recovered connection.
     */
    static void forget(Channel closedByBroker) {
        try {
            closedByBroker.close();
        } catch (IOException | TimeoutException | com.rabbitmq.client.AlreadyClosedException e) {
            // closed already, as expected
        }
    }

    /** Closes a channel, if open; unacknowledged messages on it go back to their queues. */
    static void close(@Nullable Channel channel) {
        if (channel == null || !channel.isOpen()) {
            return;
        }
        try {
            channel.close();
        } catch (IOException | TimeoutException | com.rabbitmq.client.AlreadyClosedException e) {
            // already closing with its connection
        }
    }
}
