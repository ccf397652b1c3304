package dev.vitals.api.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Answers what Jetty refuses before a route sees it (a URI too long, headers too large, a path with an
 * encoded NUL or a bad escape, an ambiguous path) with {@code application/problem+json} like every other
 * error, instead of Jetty's HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {

    private final Problems problems;

    ProblemErrorHandler(Problems problems) {
        this.problems = problems;
        setShowStacks(false);
        setShowServlet(false);
    }

    /** Requests Jetty's parser refused: the connection never reached the servlet. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);
        return ByteBuffer.wrap(problems.json(problem(status, reason)));
    }

    /** Errors Jetty's servlet layer answered with {@code sendError}. */
    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        baseRequest.setHandled(true);
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        byte[] body = problems.json(problem(response.getStatus(), message == null ? null : message.toString()));
        response.setContentType(Problem.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static Problem problem(int status, @org.jspecify.annotations.Nullable String reason) {
        String phrase = HttpStatus.getMessage(status);
        String detail = reason == null || reason.isBlank() || reason.equals(phrase)
                ? "the request was refused: " + phrase.toLowerCase(java.util.Locale.ROOT)
                : reason;
        return new Problem(status, detail);
    }
}
