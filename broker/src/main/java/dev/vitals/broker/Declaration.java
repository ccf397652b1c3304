package dev.vitals.broker;

import com.rabbitmq.client.BuiltinExchangeType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing a Vitals process declares on the broker, always durable. {@link BrokerConnection#declare(java.util.List)}
 * declares a list of them, accepting a queue that exists with other {@link Queue#adjustable} arguments.
 */
public sealed interface Declaration {

    /** A durable exchange. Its type must be as declared: the broker cannot change it. */
    record Exchange(String name, BuiltinExchangeType type) implements Declaration {
    }

    /**
     * A durable queue.
     *
     * @param required   arguments the queue must have as declared ({@code x-queue-type} for most): a queue that
     *                   exists with other values cannot be used, and is refused with what to do
     * @param adjustable arguments a new queue is declared with, and that a queue existing with other values (or
     *                   without them) is used with as it is, with a warning; the limits a policy can also set
     */
    record Queue(String name, Map<String, Object> required, Map<String, Object> adjustable) implements Declaration {

        public Queue {
            required = Map.copyOf(required);
            adjustable = Map.copyOf(adjustable);
        }

        /** Every argument a new queue gets, required ones first. */
        public Map<String, Object> arguments() {
            Map<String, Object> all = new LinkedHashMap<>(required);
            all.putAll(adjustable);
            return all;
        }
    }

    /** A binding of a queue to an exchange with one routing key. */
    record Binding(String queue, String exchange, String routingKey) implements Declaration {
    }
}
