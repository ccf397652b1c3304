package dev.vitals.tracing;

import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads trace context from AMQP headers. The RabbitMQ client hands a string header back as a
 * {@code LongString}, so values are read with {@code toString()}.
 */
final class AmqpHeaders {

    static final TextMapGetter<Map<String, Object>> GETTER = new TextMapGetter<>() {
        @Override
        public @Nullable String get(@Nullable Map<String, Object> carrier, String key) {
            if (carrier == null) {
                return null;
            }
            Object value = carrier.get(key);
            return value == null ? null : value.toString();
        }
    };

    private AmqpHeaders() {
    }
}
