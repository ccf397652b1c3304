package dev.vitals.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextStorage;
import io.opentelemetry.context.Scope;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Puts the trace and span ids of a sampled span into the MDC ({@value Tracing#TRACE_ID},
 * {@value Tracing#SPAN_ID}) whenever a context holding it becomes current on a thread, and those of the context it
 * replaced (or none) when its scope closes: every log line written for a traced unit of work names its trace,
 * whichever thread the context was carried to ({@code Context.wrap}, {@code makeCurrent}). The MDC's ids are
 * this storage's alone: they follow the current context, so that attaching a context without a sampled span over
 * another such context (every task of a trace left out by the sampler) touches the MDC not at all.
 *
 * <p>Installed only when tracing is on, before the first context is made current in the process: OpenTelemetry
 * reads its storage wrappers once. Off, the MDC is never touched.
 */
final class MdcContextStorage implements ContextStorage {

    private static final AtomicBoolean INSTALLED = new AtomicBoolean();

    private final ContextStorage delegate;

    private MdcContextStorage(ContextStorage delegate) {
        this.delegate = delegate;
    }

    static void install() {
        if (INSTALLED.compareAndSet(false, true)) {
            ContextStorage.addWrapper(MdcContextStorage::new);
        }
    }

    @Override
    public Scope attach(Context toAttach) {
        Context before = delegate.current();
        Scope attached = delegate.attach(toAttach);
        if (toAttach == before) {
            return attached;
        }
        SpanContext now = sampledSpan(toAttach);
        SpanContext was = before == null ? null : sampledSpan(before);
        if (now == null && was == null) {
            return attached; // neither puts ids in the MDC: nothing to read or write, the common case when sampling
        }
        put(now);
        return () -> {
            attached.close();
            put(was);
        };
    }

    /** The span of {@code context} when it is valid and sampled: the one whose ids the MDC holds then. */
    private static @Nullable SpanContext sampledSpan(Context context) {
        Span span = Span.fromContext(context);
        if (span instanceof CarriedTrace) {
            return null;
        }
        SpanContext spanContext = span.getSpanContext();
        return spanContext.isValid() && spanContext.isSampled() ? spanContext : null;
    }

    private static void put(@Nullable SpanContext span) {
        if (span == null) {
            MDC.remove(Tracing.TRACE_ID);
            MDC.remove(Tracing.SPAN_ID);
        } else {
            MDC.put(Tracing.TRACE_ID, span.getTraceId());
            MDC.put(Tracing.SPAN_ID, span.getSpanId());
        }
    }

    @Override
    public @Nullable Context current() {
        return delegate.current();
    }

    @Override
    public Context root() {
        return delegate.root();
    }
}
