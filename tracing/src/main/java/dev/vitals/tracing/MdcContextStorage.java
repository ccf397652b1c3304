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
 * {@value Tracing#SPAN_ID}) whenever a context holding it becomes current on a thread, and puts back what was
 * there when its scope closes: every log line written for a traced unit of work names its trace, whichever
 * thread the context was carried to ({@code Context.wrap}, {@code makeCurrent}).
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
        Scope attached = delegate.attach(toAttach);
        SpanContext span = Span.fromContext(toAttach).getSpanContext();
        String previousTrace = MDC.get(Tracing.TRACE_ID);
        String previousSpan = MDC.get(Tracing.SPAN_ID);
        if (span.isValid() && span.isSampled()) {
            MDC.put(Tracing.TRACE_ID, span.getTraceId());
            MDC.put(Tracing.SPAN_ID, span.getSpanId());
        } else if (previousTrace == null && previousSpan == null) {
            return attached;
        } else {
            MDC.remove(Tracing.TRACE_ID);
            MDC.remove(Tracing.SPAN_ID);
        }
        return () -> {
            attached.close();
            restore(Tracing.TRACE_ID, previousTrace);
            restore(Tracing.SPAN_ID, previousSpan);
        };
    }

    private static void restore(String key, @Nullable String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
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
