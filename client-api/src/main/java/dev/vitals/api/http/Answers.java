package dev.vitals.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.model.ValidationException;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/** What the routes share to read query parameters and to answer JSON. */
final class Answers {

    private Answers() {
    }

    /** Answers {@code body} as JSON with this status. */
    static void json(Context ctx, ObjectMapper mapper, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ?limit=}: a whole number from 1 to {@code max}, {@code otherwise} when not given. */
    static int limit(@Nullable String text, int otherwise, int max) {
        if (text == null) {
            return otherwise;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ValidationException("limit", "must be a whole number from 1 to " + max + ", got '" + clip(text) + "'");
    }

    /** A caller's value as an error quotes it: at most 64 characters. */
    static String clip(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "…" : value;
    }
}
