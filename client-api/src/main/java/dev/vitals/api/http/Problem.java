package dev.vitals.api.http;

import io.javalin.http.HttpStatus;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * An error answer in the form of RFC 9457 ({@code application/problem+json}): {@code type},
 * {@code title}, {@code status}, {@code detail}, and {@code field} when one field of the request is at fault.
 *
 * @param retryAfter when set, sent as {@code Retry-After}
 */
public record Problem(int status, String detail, @Nullable String field, @Nullable Duration retryAfter) {

    public static final String CONTENT_TYPE = "application/problem+json";

    public Problem(int status, String detail) {
        this(status, detail, null, null);
    }

    /** {@code about:blank}: the status code says it all, the title is its reason phrase. */
    public String type() {
        return "about:blank";
    }

    public String title() {
        HttpStatus known = HttpStatus.forStatus(status);
        return known == HttpStatus.UNKNOWN ? "Error " + status : known.getMessage();
    }
}
