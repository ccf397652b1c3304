package dev.vitals.api.http;

import dev.vitals.tracing.Tracing;
import io.javalin.http.Context;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.jspecify.annotations.Nullable;

/**
 * A server span per HTTP request, after OpenTelemetry's HTTP conventions: it continues the trace of the
 * request's {@code traceparent} header, is current while the request is handled (a filter in front of every
 * route, so the task's store and broker spans are its children), and ends when the answer is complete, named
 * {@code <method> <route>} with {@code http.route} and {@code http.response.status_code}. An answer of 5xx
 * marks it failed, with the exception that caused it. Installed only with tracing on.
 */
final class HttpTracing {

    private static final String SPAN = HttpTracing.class.getName() + ".span";

    private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public @Nullable String get(@Nullable HttpServletRequest request, String key) {
            return request == null ? null : request.getHeader(key);
        }
    };

    private final Tracing tracing;

    HttpTracing(Tracing tracing) {
        this.tracing = tracing;
    }

    /** Puts the filter that starts each request's span in front of every route. */
    void install(ServletContextHandler context) {
        context.addFilter(new SpanFilter(), "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    /** Ends the request's span: the answer is complete. */
    void ended(Context ctx, String route) {
        if (!(ctx.req().getAttribute(SPAN) instanceof Span span) || !span.isRecording()) {
            return;
        }
        String method = ctx.method().name();
        int status = ctx.statusCode();
        if (!route.isEmpty()) {
            span.updateName(method + " " + route);
            span.setAttribute("http.route", route);
        }
        span.setAttribute("http.response.status_code", status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR);
            span.setAttribute("error.type", Integer.toString(status));
        }
        span.end();
    }

    /** An exception became the answer: recorded on the request's span when that answer is a server error. */
    void failed(Context ctx, Exception e) {
        if (ctx.statusCode() >= 500 && ctx.req().getAttribute(SPAN) instanceof Span span) {
            Tracing.failed(span, e);
        }
    }

    private final class SpanFilter implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) request;
            String method = http.getMethod();
            Span span = tracing.server(method, tracing.extract(http, HEADERS));
            if (span.isRecording()) {
                span.setAttribute("http.request.method", method);
                span.setAttribute("url.path", http.getRequestURI());
                span.setAttribute("url.scheme", http.getScheme());
                span.setAttribute("server.address", http.getServerName());
                span.setAttribute("server.port", (long) http.getServerPort());
                span.setAttribute("client.address", http.getRemoteAddr());
                span.setAttribute("network.protocol.version", http.getProtocol().replace("HTTP/", ""));
                if (http.getQueryString() != null) {
                    span.setAttribute("url.query", http.getQueryString());
                }
                if (http.getHeader("User-Agent") != null) {
                    span.setAttribute("user_agent.original", http.getHeader("User-Agent"));
                }
            }
            request.setAttribute(SPAN, span);
            try (Scope ignored = span.makeCurrent()) {
                chain.doFilter(request, response);
            }
        }
    }
}
