package dev.vitals.api.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers what Jetty refuses before a route sees it (a URI too long, headers too large, a path with an
 * encoded NUL or a bad escape, an ambiguous path) with {@code application/problem+json} like every other
 * error, instead of Jetty's HTML page.
 *
 * <p>Jetty 12 sends both kinds of error here: those its HTTP parser refused, which never reached the servlet,
 * and those its servlet layer answered with {@code sendError}; this handler is the server's and the servlet
 * context's. It answers whatever the client accepts, since every error of the API is a problem.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private final Problems problems;

    ProblemErrorHandler(Problems problems) {
        this.problems = problems;
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        String reason = message == null ? null : message.toString();
        if (request.getAttribute(ERROR_EXCEPTION) instanceof HttpException refused) {
            status = refused.getCode();
            response.setStatus(status);
            if (reason == null) {
                reason = refused.getReason();
            }
        }
        generateCacheControl(response);
        if (HttpStatus.hasNoBody(status)) {
            callback.succeeded();
            return true;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(problems.json(problem(status, reason))), callback);
        return true;
    }

    private static Problem problem(int status, @org.jspecify.annotations.Nullable String reason) {
        String phrase = HttpStatus.getMessage(status);
        String detail = reason == null || reason.isBlank() || reason.equals(phrase)
                ? "the request was refused: " + phrase.toLowerCase(java.util.Locale.ROOT)
                : reason;
        return new Problem(status, detail);
    }
}
