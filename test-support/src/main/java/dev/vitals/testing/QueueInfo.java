package dev.vitals.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A queue as the broker reports it.
 *
 * @param name                   the queue's name
 * @param messagesReady          messages waiting to be delivered
 * @param messagesUnacknowledged messages delivered to a consumer and not yet acknowledged
 * @param consumers              consumers subscribed to the queue
 */
public record QueueInfo(String name, long messagesReady, long messagesUnacknowledged, int consumers) {

    /**
     * Reads one queue object of the management API or of {@code rabbitmqctl list_queues --formatter json}.
     *
     * @return empty when the object lacks a count, which the management API does for a queue whose
     *         first statistics have not been collected yet
     */
    static Optional<QueueInfo> fromJson(JsonNode queue) {
        JsonNode name = queue.get("name");
        JsonNode ready = queue.get("messages_ready");
        JsonNode unacknowledged = queue.get("messages_unacknowledged");
        JsonNode consumers = queue.get("consumers");
        if (name == null || !name.isTextual()
                || !isNumber(ready) || !isNumber(unacknowledged) || !isNumber(consumers)) {
            return Optional.empty();
        }
        return Optional.of(new QueueInfo(
                name.asText(), ready.asLong(), unacknowledged.asLong(), consumers.asInt()));
    }

    private static boolean isNumber(JsonNode node) {
        return node != null && node.isIntegralNumber();
    }
}
