package dev.vitals.model.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.NameTransformer;
import dev.vitals.model.CheckResult;
import dev.vitals.model.CheckStatus;
import dev.vitals.model.Measurement;
import dev.vitals.model.Threshold;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a check flat, as the contract shows it: {@code status}, the measurement's own fields, then
 * the {@code warning} and {@code error} thresholds; or {@code status} and the {@code error} for a check that
 * could not be read; then the {@code reason} sentence.
 */
final class CheckResultSerializer extends StdSerializer<CheckResult> {

    private static final long serialVersionUID = 1L;

    private final transient Map<Class<?>, JsonSerializer<Object>> unwrapped = new ConcurrentHashMap<>();

    CheckResultSerializer() {
        super(CheckResult.class);
    }

    @Override
    public void serialize(CheckResult check, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("status", check.status().id());
        if (check.status() == CheckStatus.UNKNOWN) {
            gen.writeStringField("error", check.error());
        } else {
            Measurement measurement = check.measurement();
            Threshold threshold = check.threshold();
            fieldsOf(measurement.getClass(), provider).serialize(measurement, gen, provider);
            gen.writeNumberField("warning", threshold.warning());
            gen.writeNumberField("error", threshold.error());
        }
        gen.writeStringField("reason", check.reason());
        gen.writeEndObject();
    }

    private JsonSerializer<Object> fieldsOf(Class<?> type, SerializerProvider provider) {
        JsonSerializer<Object> serializer = unwrapped.get(type);
        if (serializer == null) {
            try {
                serializer = provider.findValueSerializer(type).unwrappingSerializer(NameTransformer.NOP);
            } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
                throw new IllegalStateException("no serializer for " + type, e);
            }
            unwrapped.put(type, serializer);
        }
        return serializer;
    }
}
