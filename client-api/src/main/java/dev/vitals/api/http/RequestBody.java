package dev.vitals.api.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reading a request body the same way for every route: bounded, and JSON only. */
final class RequestBody {

    /** The most of a refused body read before the answer; a larger one may see its connection closed. */
    private static final int DISCARDED_AT_MOST = 1 << 20;

    private RequestBody() {
    }

    /** The body, read up to the limit whatever the request declared (a chunked body declares nothing). */
    static byte[] read(Context ctx, long maxBodyBytes) {
        long declared = ctx.req().getContentLengthLong();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > maxBodyBytes) {
                discard(in);
                throw tooLarge(maxBodyBytes);
            }
            byte[] body = in.readNBytes(Math.toIntExact(maxBodyBytes + 1));
            if (body.length > maxBodyBytes) {
                discard(in);
                throw tooLarge(maxBodyBytes);
            }
            return body;
        } catch (IOException e) {
            throw new ProblemException(400, "the request body could not be read: " + e.getMessage());
        }
    }

    /**
     * Reads and drops up to {@link #DISCARDED_AT_MOST} bytes of a body that is refused: a server that answers
     * while the client still sends closes the connection on unread data, and the client may then see the
     * connection reset instead of the 413.
     */
    private static void discard(InputStream in) {
        try {
            in.skipNBytes(DISCARDED_AT_MOST);
        } catch (IOException e) {
            // the body ended (EOFException), the client went away, or sent more: the refusal stands either way
        }
    }

    private static ProblemException tooLarge(long maxBodyBytes) {
        return new ProblemException(413, "the request body must be at most " + maxBodyBytes + " bytes");
    }

    /** Refuses (415) a body that is not JSON. */
    static void requireJson(Context ctx) {
        String contentType = ctx.contentType();
        String base = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!base.equals("application/json") && !(base.startsWith("application/") && base.endsWith("+json"))) {
            throw new ProblemException(415, "a request body must be JSON (Content-Type: application/json), got "
                    + (contentType == null ? "no Content-Type" : "'" + contentType + "'"));
        }
    }

    /** Whether a body holds nothing but whitespace. */
    static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
