package dev.vitals.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The span of a delivery whose trace was left out upstream (its W3C {@code traceparent} says not sampled) in a
 * process whose sampler follows the parent's decision: nothing under it is recorded, so it only carries the trace
 * on. The trace context headers that came in ({@code traceparent}, {@code tracestate}, {@code baggage}) go out
 * again, as they came, on whatever is published while it is current: what injecting the parsed context would write,
 * without parsing it into a span context or writing new headers. Most deliveries are of such traces at a low
 * sampling ratio, so this is the path that must cost next to nothing.
 *
 * <p>Its {@link #getSpanContext() span context} is parsed from the headers only when someone asks for it; the
 * tracing module's own checks test for this class first.
 */
final class CarriedTrace implements Span {

    static final String TRACEPARENT = "traceparent";
    /** The headers a carried trace passes on: those of W3C trace context and baggage. */
    static final Set<String> W3C_FIELDS = Set.of(TRACEPARENT, "tracestate", "baggage");

    /** The trace context headers that came, by name: {@code traceparent} first. */
    private final String[] names;
    private final Object[] values;
    private volatile @Nullable SpanContext spanContext;

    private CarriedTrace(String[] names, Object[] values) {
        this.names = names;
        this.values = values;
    }

    /**
     * The trace that {@code headers} carry when their {@code traceparent} is a well-formed version-00 one that says
     * not sampled; null otherwise (no header, a sampled trace, or one to leave to the propagator to judge).
     *
     * @param headers message headers; a value is read with {@code toString()} (the RabbitMQ client hands strings
     *                back as {@code LongString})
     * @param others  the other headers to carry on when present: those the process's propagators read and write
     *                besides {@code traceparent}
     */
    static @Nullable CarriedTrace ifSampledOut(Map<String, Object> headers, String[] others) {
        Object traceparent = headers.get(TRACEPARENT);
        if (traceparent == null || !isSampledOut(traceparent.toString())) {
            return null;
        }
        int present = 0;
        for (String other : others) {
            if (headers.get(other) != null) {
                present++;
            }
        }
        String[] names = new String[1 + present];
        Object[] values = new Object[1 + present];
        names[0] = TRACEPARENT;
        values[0] = traceparent;
        int i = 1;
        for (String other : others) {
            Object value = headers.get(other);
            if (value != null) {
                names[i] = other;
                values[i++] = value;
            }
        }
        return new CarriedTrace(names, values);
    }

    /**
     * Whether {@code traceparent} is {@code 00-<32 hex>-<16 hex>-<2 hex>}, lowercase, with ids not all zero, and
     * flags without the sampled bit: what the W3C propagator would accept as a valid, not sampled parent.
     */
    static boolean isSampledOut(String traceparent) {
        if (traceparent.length() != 55 || traceparent.charAt(0) != '0' || traceparent.charAt(1) != '0'
                || traceparent.charAt(2) != '-' || traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-') {
            return false;
        }
        int high = hex(traceparent.charAt(53));
        int low = hex(traceparent.charAt(54));
        if (high < 0 || low < 0 || (low & 1) != 0) {
            return false;
        }
        return isNonZeroHex(traceparent, 3, 35) && isNonZeroHex(traceparent, 36, 52);
    }

    private static boolean isNonZeroHex(String text, int from, int to) {
        boolean nonZero = false;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (hex(c) < 0) {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    /** {@code headers} with the carried trace context headers added: a copy. */
    Map<String, Object> addTo(@Nullable Map<String, Object> headers) {
        Map<String, Object> withTrace = Tracing.copyWithRoom(headers, names.length);
        for (int i = 0; i < names.length; i++) {
            withTrace.put(names[i], values[i]);
        }
        return withTrace;
    }

    @Override
    public SpanContext getSpanContext() {
        SpanContext parsed = spanContext;
        if (parsed == null) {
            parsed = Span.fromContext(W3CTraceContextPropagator.getInstance()
                    .extract(Context.root(), addTo(null), AmqpHeaders.GETTER)).getSpanContext();
            spanContext = parsed;
        }
        return parsed;
    }

    @Override
    public boolean isRecording() {
        return false;
    }

    @Override
    public <T> Span setAttribute(AttributeKey<T> key, @Nullable T value) {
        return this;
    }

    @Override
    public Span addEvent(String name, Attributes attributes) {
        return this;
    }

    @Override
    public Span addEvent(String name, Attributes attributes, long timestamp, TimeUnit unit) {
        return this;
    }

    @Override
    public Span setStatus(StatusCode statusCode, String description) {
        return this;
    }

    @Override
    public Span recordException(Throwable exception, Attributes additionalAttributes) {
        return this;
    }

    @Override
    public Span updateName(String name) {
        return this;
    }

    @Override
    public void end() {
    }

    @Override
    public void end(long timestamp, TimeUnit unit) {
    }

    @Override
    public String toString() {
        return "CarriedTrace{" + values[0] + "}";
    }
}
