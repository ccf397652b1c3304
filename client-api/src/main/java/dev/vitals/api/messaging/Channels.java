package dev.vitals.api.messaging;

import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** Small helpers around the RabbitMQ client's channels. */
final class Channels {

    private Channels() {
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
