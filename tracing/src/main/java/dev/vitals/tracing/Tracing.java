package dev.vitals.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One process's tracing: OpenTelemetry configured the standard way ({@code OTEL_*} environment variables or
 * {@code -Dotel.*} system properties), off unless a traces exporter is named.
 *
 * <p>Off ({@code otel.traces.exporter} unset or {@code none}, or {@code otel.sdk.disabled=true}), no SDK is
 * built, no thread started, and every method here returns at its first test without allocating: spans are
 * {@link Span#getInvalid() the invalid span}, scopes {@link Scope#noop() the no-op scope}, headers the map
 * given. On, spans follow OpenTelemetry's semantic conventions (see {@link #producer}, {@link #consumer}),
 * the W3C {@code traceparent} and {@code tracestate} travel in AMQP headers, and log lines carry
 * {@value #TRACE_ID} and {@value #SPAN_ID} in the MDC while a sampled span is current.
 *
 * <p>Defaults that differ from the SDK's: traces, metrics and logs exporters {@code none}, OTLP over
 * {@code http/protobuf} (the JDK's HTTP client sends it), and the service name given by the process.
 */
public final class Tracing implements AutoCloseable {

    /** MDC key of the current trace's id (32 hex digits). */
    public static final String TRACE_ID = "trace_id";
    /** MDC key of the current span's id (16 hex digits). */
    public static final String SPAN_ID = "span_id";

    private static final String INSTRUMENTATION = "dev.vitals";
    private static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> ROUTING_KEY =
            AttributeKey.stringKey("messaging.rabbitmq.destination.routing_key");
    private static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    private static final Tracing OFF = new Tracing(OpenTelemetry.noop(), false, () -> { });

    private final OpenTelemetry openTelemetry;
    private final boolean on;
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final Runnable shutdown;
    /** The sampler follows a parent's decision (ParentBased, as the SDK's default and every otel.traces.sampler
     *  named parentbased_*): no child of a span left out of the trace is ever sampled. */
    private final boolean followsParent;
    /** Whether a delivery of a trace left out upstream is only carried on ({@link CarriedTrace}): the sampler
     *  follows the parent, and the propagators are W3C's (trace context, and baggage or not). */
    private final boolean carriesSampledOut;
    /** The headers a carried trace passes on besides {@code traceparent}: those the propagators also use. */
    private final String[] carriedAlong;

    private Tracing(OpenTelemetry openTelemetry, boolean on, Runnable shutdown) {
        this.openTelemetry = openTelemetry;
        this.on = on;
        this.followsParent = openTelemetry instanceof OpenTelemetrySdk sdk
                && sdk.getSdkTracerProvider().getSampler().getDescription().startsWith("ParentBased");
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        Collection<String> fields = propagator.fields();
        this.carriesSampledOut = followsParent && fields.contains(CarriedTrace.TRACEPARENT)
                && CarriedTrace.W3C_FIELDS.containsAll(fields);
        this.carriedAlong = fields.stream().filter(field -> !field.equals(CarriedTrace.TRACEPARENT)).distinct()
                .toArray(String[]::new);
        this.shutdown = shutdown;
    }

    /**
     * Tracing as the process's {@code otel.*} system properties and {@code OTEL_*} environment variables say
     * (system properties first), off unless {@code otel.traces.exporter} names an exporter.
     *
     * @param serviceName the service name unless {@code otel.service.name} (or {@code service.name} in
     *                    {@code otel.resource.attributes}) says otherwise: {@code vitals-api}, {@code vitals-worker}
     * @throws io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException when a setting is not allowed
     */
    public static Tracing fromEnvironment(String serviceName) {
        return build(serviceName, name -> {
            String property = System.getProperty(name);
            return property != null ? property : System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_'));
        }, Map.of());
    }

    /**
     * As {@link #fromEnvironment}, with {@code settings} ({@code otel.*} names) over the process's own: for
     * tests.
     */
    public static Tracing fromSettings(String serviceName, Map<String, String> settings) {
        return build(serviceName, name -> settings.containsKey(name) ? settings.get(name)
                : System.getProperty(name, System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_'))), settings);
    }

    private static Tracing build(String serviceName, Function<String, @Nullable String> setting,
                                 Map<String, String> overrides) {
        String exporter = setting.apply("otel.traces.exporter");
        if ("true".equalsIgnoreCase(setting.apply("otel.sdk.disabled")) || exporter == null
                || exporter.isBlank() || exporter.strip().equalsIgnoreCase("none")) {
            return OFF;
        }
        Map<String, String> defaults = new HashMap<>();
        String resource = setting.apply("otel.resource.attributes");
        if (resource == null || !resource.contains("service.name=")) {
            defaults.put("otel.service.name", serviceName);
        }
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
        MdcContextStorage.install();
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .addPropertiesCustomizer(config -> overrides)
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        return new Tracing(sdk, true, () -> sdk.shutdown().join(10, TimeUnit.SECONDS));
    }

    /** Tracing off: no spans, nothing exported, nothing allocated. */
    public static Tracing off() {
        return OFF;
    }

    /** Tracing with an OpenTelemetry made elsewhere (tests: an SDK with an in-memory exporter); on. */
    public static Tracing with(OpenTelemetry openTelemetry) {
        MdcContextStorage.install();
        return new Tracing(openTelemetry, true, () -> { });
    }

    /** Whether spans are made at all. */
    public boolean isOn() {
        return on;
    }

    /** The OpenTelemetry this tracing uses; the no-op one when off. */
    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /**
     * Starts a span as a child of the current one, or a trace's root when none is current.
     *
     * @return the span, to {@link Span#end() end}; the invalid span when tracing is off
     */
    public Span start(String name, SpanKind kind) {
        if (!on) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(name).setSpanKind(kind).startSpan();
    }

    /**
     * Starts a span only as part of a trace already in progress: the invalid span when no span is current,
     * so that work done for no traced request (a sweep, a heartbeat) starts no trace of its own.
     *
     * <p>When the current span was left out of the trace (not sampled) and the sampler follows the parent's
     * decision, no span is made: the current one is returned, which records nothing, ends as a no-op and
     * carries the trace on. Most requests are left out at a low sampling ratio; this keeps them cheap.
     */
    public Span startInTrace(String name, SpanKind kind) {
        if (!on) {
            return Span.getInvalid();
        }
        Span current = Span.current();
        if (!makesChildOf(current)) {
            return current;
        }
        return tracer.spanBuilder(name).setSpanKind(kind).startSpan();
    }

    /**
     * Whether {@link #startInTrace} would make a span now: a span is current and its trace is recorded (or the
     * sampler decides afresh for each span). Work that would start several spans asks once.
     */
    public boolean recordsInTrace() {
        return on && makesChildOf(Span.current());
    }

    /** Whether a span started under {@code parent} may be recorded: it is part of a trace not left out. */
    private boolean makesChildOf(Span parent) {
        return !(parent instanceof CarriedTrace) && parent.getSpanContext().isValid() && !dropsChildrenOf(parent);
    }

    /** Whether a child of this span is certainly not sampled: it was left out and the sampler follows it. */
    private boolean dropsChildrenOf(Span span) {
        return span instanceof CarriedTrace
                || followsParent && !span.getSpanContext().isSampled() && !span.isRecording();
    }

    /**
     * Starts the root span of one run of a schedule ({@code schedule <name>}), a trace of its own whatever is
     * current, and makes it current until the returned scope is closed, when it ends. A task submitted inside
     * it is part of that trace (its insert and publish are children of the run's span, and it keeps the run's
     * trace id): the schedule runner wraps each run's submit in it, on the thread that submits.
     *
     * <pre>{@code
     * try (Tracing.SpanScope run = tracing.scheduledRun(name)) {
     *     tasks.submitScheduled(request, requestJson, name).whenComplete(...);
     * } // a run refused at once: run.failed(e) inside the try, before the scope closes
     * }</pre>
     *
     * @param scheduleName the schedule's name, the span's {@code vitals.schedule.name}
     * @return a scope that ends the span; with tracing off, one that does nothing (nothing allocated)
     */
    public SpanScope scheduledRun(String scheduleName) {
        if (!on) {
            return SpanScope.NONE;
        }
        Span span = tracer.spanBuilder("schedule " + scheduleName).setSpanKind(SpanKind.INTERNAL).setNoParent()
                .setAttribute("vitals.schedule.name", scheduleName).startSpan();
        return new SpanScope(span, span.makeCurrent());
    }

    /**
     * A span made current, ended with its scope; {@link #failed} records an exception on it first.
     * Close it on the thread that opened it.
     */
    public record SpanScope(Span span, Scope scope) implements AutoCloseable {
        static final SpanScope NONE = new SpanScope(Span.getInvalid(), Scope.noop());

        /** Records the exception on the span and marks it failed. */
        public void failed(Throwable error) {
            Tracing.failed(span, error);
        }

        @Override
        public void close() {
            scope.close();
            span.end();
        }
    }

    /** Makes the span current until the scope is closed (on this thread); a no-op when tracing is off. */
    public Scope makeCurrent(Span span) {
        return on ? span.makeCurrent() : Scope.noop();
    }

    /**
     * Starts a messaging producer span ({@code publish <destination>}, kind {@code PRODUCER}) as part of the
     * current trace, with the attributes of the messaging conventions: {@code messaging.system=rabbitmq},
     * {@code messaging.destination.name} (the exchange, or the queue for the default exchange),
     * {@code messaging.rabbitmq.destination.routing_key}, {@code messaging.operation.type=send},
     * {@code messaging.operation.name=publish}. The invalid span when no span is current.
     */
    public Span producer(String exchange, String routingKey) {
        if (!on) {
            return Span.getInvalid();
        }
        Span current = Span.current();
        if (!makesChildOf(current)) {
            return current;
        }
        String destination = exchange.isEmpty() ? routingKey : exchange;
        Span span = tracer.spanBuilder("publish " + destination).setSpanKind(SpanKind.PRODUCER).startSpan();
        if (span.isRecording()) {
            span.setAttribute(MESSAGING_SYSTEM, "rabbitmq");
            span.setAttribute(DESTINATION, destination);
            span.setAttribute(ROUTING_KEY, routingKey);
            span.setAttribute(OPERATION_TYPE, "send");
            span.setAttribute(OPERATION_NAME, "publish");
        }
        return span;
    }

    /**
     * Starts a messaging consumer span ({@code process <queue>}, kind {@code CONSUMER}) for a delivery, as the
     * child of the trace its headers carry ({@code traceparent}), or as a root when they carry none and
     * {@code rootWhenUntraced}. The invalid span when off, or untraced and not {@code rootWhenUntraced}.
     *
     * <p>A delivery whose trace was left out upstream, when the sampler follows that decision, gets no span: a
     * {@link CarriedTrace} that records nothing and passes its trace context headers on as they came to whatever
     * is published while it is current, without parsing them.
     *
     * @param headers the delivery's AMQP headers; null when it has none
     */
    public Span consumer(String queue, String routingKey, @Nullable String messageId,
                         @Nullable Map<String, Object> headers, boolean rootWhenUntraced) {
        if (!on) {
            return Span.getInvalid();
        }
        if (headers != null && carriesSampledOut) {
            CarriedTrace carried = CarriedTrace.ifSampledOut(headers, carriedAlong);
            if (carried != null) {
                return carried;
            }
        }
        Context parent = extract(headers);
        Span remote = Span.fromContext(parent);
        if (!remote.getSpanContext().isValid() ? !rootWhenUntraced : dropsChildrenOf(remote)) {
            return remote; // untraced: invalid; left out of its trace: carries the trace on, records nothing
        }
        Span span = tracer.spanBuilder("process " + queue).setSpanKind(SpanKind.CONSUMER).setParent(parent)
                .startSpan();
        if (span.isRecording()) {
            span.setAttribute(MESSAGING_SYSTEM, "rabbitmq");
            span.setAttribute(DESTINATION, queue);
            span.setAttribute(ROUTING_KEY, routingKey);
            span.setAttribute(OPERATION_TYPE, "process");
            span.setAttribute(OPERATION_NAME, "process");
            if (messageId != null) {
                span.setAttribute(MESSAGE_ID, messageId);
            }
        }
        return span;
    }

    /**
     * Starts a server span for a request whose headers carry {@code parent} (see {@link #extract}); the span
     * of the parent when it was left out of its trace and the sampler follows it (nothing recorded).
     */
    public Span server(String name, Context parent) {
        if (!on) {
            return Span.getInvalid();
        }
        Span remote = Span.fromContext(parent);
        if (remote.getSpanContext().isValid() && dropsChildrenOf(remote)) {
            return remote;
        }
        return tracer.spanBuilder(name).setSpanKind(SpanKind.SERVER).setParent(parent).startSpan();
    }

    /**
     * The headers of a message to publish, with the current context ({@code traceparent}, {@code tracestate})
     * added: a copy when something is added, {@code headers} itself when tracing is off or no span is current.
     */
    public @Nullable Map<String, Object> withContext(@Nullable Map<String, Object> headers) {
        return on ? withContext(Span.current(), headers) : headers;
    }

    /**
     * The headers of a message published under {@code span} (what {@link #producer} returned), with its context
     * added, without making it current: a copy when something is added, {@code headers} itself when tracing is off
     * or the span is invalid. A {@link CarriedTrace} adds the headers it came with.
     */
    public @Nullable Map<String, Object> withContext(Span span, @Nullable Map<String, Object> headers) {
        if (!on) {
            return headers;
        }
        if (span instanceof CarriedTrace carried) {
            return carried.addTo(headers);
        }
        if (!span.getSpanContext().isValid()) {
            return headers;
        }
        Map<String, Object> withTrace = copyWithRoom(headers, 2);
        propagator.inject(Context.current().with(span), withTrace, (carrier, key, value) -> carrier.put(key, value));
        return withTrace;
    }

    /** A modifiable copy of {@code headers} (none: empty) sized for {@code more} entries besides. */
    static Map<String, Object> copyWithRoom(@Nullable Map<String, Object> headers, int more) {
        int size = (headers == null ? 0 : headers.size()) + more;
        Map<String, Object> copy = HashMap.newHashMap(size);
        if (headers != null) {
            headers.forEach(copy::put);
        }
        return copy;
    }

    /** The context that incoming headers carry (HTTP request headers, say), over the current one. */
    public <C> Context extract(C carrier, TextMapGetter<C> getter) {
        if (!on) {
            return Context.current();
        }
        return propagator.extract(Context.current(), carrier, getter);
    }

    private Context extract(@Nullable Map<String, Object> headers) {
        Context root = Context.root();
        return headers == null ? root : propagator.extract(root, headers, AmqpHeaders.GETTER);
    }

    /**
     * Runs {@code work} in the current context wherever it is handed to: for a hop to another thread (an
     * executor) that the trace should follow. {@code work} itself when off.
     */
    public Runnable wrap(Runnable work) {
        return on ? Context.current().wrap(work) : work;
    }

    /** The current trace's id when a sampled span is current (the trace will be exported), else null. */
    public static @Nullable String currentTraceId() {
        Span span = Span.current();
        if (span instanceof CarriedTrace) {
            return null;
        }
        SpanContext current = span.getSpanContext();
        return current.isValid() && current.isSampled() ? current.getTraceId() : null;
    }

    /** Records {@code error} on the span as an exception event and sets its status to error. */
    public static void failed(Span span, Throwable error) {
        if (span.isRecording()) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        }
    }

    /** Exports what is left and stops the exporter (waits up to 10 s); nothing when off. */
    @Override
    public void close() {
        shutdown.run();
    }
}
