package dev.vitals.api.idempotency;

import dev.vitals.model.ValidationException;
import java.util.List;
import java.util.Objects;

/**
 * An {@code Idempotency-Key} as a client sent it, and whose it is.
 *
 * @param scope whose key it is: the SHA-256 digest (hex) of the caller's bearer token when tokens are configured,
 *              {@code ""} when the API is open; keys of different scopes never meet
 * @param value the key: 1 to {@value #MAX_LENGTH} visible ASCII characters
 */
public record IdempotencyKey(String scope, String value) {

    /** The header's name. */
    public static final String HEADER = "Idempotency-Key";
    /** The longest key accepted, in characters. */
    public static final int MAX_LENGTH = 255;

    public IdempotencyKey {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(value, "value");
    }

    /**
     * The key of a request's {@code Idempotency-Key} header: as the draft writes it, a structured-field string
     * ({@code "8e03978e-…"}, the quotes not part of the key), or the bare key as most clients send it.
     *
     * @param values every value of the header in the request (one is allowed)
     * @throws ValidationException naming the header when there are several, or the key is empty, longer than
     *                             {@value #MAX_LENGTH} characters, or holds anything but visible ASCII
     */
    public static IdempotencyKey parse(String scope, List<String> values) {
        if (values.size() != 1) {
            throw invalid("must be sent once, got " + values.size() + " of them");
        }
        String key = values.getFirst().strip();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
            if (key.indexOf('"') >= 0 || key.indexOf('\\') >= 0) {
                throw invalid("must be a key of visible ASCII characters, quoted or not; a quoted key may hold"
                        + " neither '\"' nor '\\'");
            }
        }
        if (key.isEmpty()) {
            throw invalid("must not be empty");
        }
        if (key.length() > MAX_LENGTH) {
            throw invalid("must be at most " + MAX_LENGTH + " characters, got " + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw invalid("must hold only visible ASCII characters (no spaces, no control or non-ASCII"
                        + " characters); character " + (i + 1) + " is not one");
            }
        }
        return new IdempotencyKey(scope, key);
    }

    private static ValidationException invalid(String why) {
        return new ValidationException(HEADER, why);
    }
}
