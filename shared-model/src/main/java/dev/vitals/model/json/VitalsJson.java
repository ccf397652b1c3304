package dev.vitals.model.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vitals.model.CheckResult;
import java.time.Instant;

/**
 * The JSON form of the contract: {@code snake_case} names, ISO-8601 UTC times with millisecond
 * precision and a {@code Z}, strict parsing.
 *
 * <p>Parsing refuses what a careless or hostile client might send: unknown fields on request types
 * (types that may grow, such as reports, say {@code ignoreUnknown}), duplicate keys, strings where
 * numbers belong, fractions where integers belong, trailing garbage, and nesting deeper than
 * {@value #MAX_NESTING_DEPTH}.
 */
public final class VitalsJson {

    /** Deeper JSON than this is refused before it is parsed further; no Vitals document needs more than 6. */
    public static final int MAX_NESTING_DEPTH = 32;

    /**
     * The largest message body read from the broker, in bytes: a task message (its payload a POST body of at most
     * 64 KiB) and a worker's report (a few kilobytes, one entry per mount and check) are far below it. A larger
     * body is refused before it is parsed.
     */
    public static final int MAX_MESSAGE_BYTES = 1024 * 1024;

    private VitalsJson() {
    }

    /** A new mapper with the contract's settings. Mappers are thread-safe and costly: make one and share it. */
    public static ObjectMapper newMapper() {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        SimpleModule vitals = new SimpleModule("vitals")
                .addSerializer(Instant.class, new InstantMillisSerializer())
                .addSerializer(CheckResult.class, new CheckResultSerializer());
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .addModule(vitals)
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
    }
}
