package dev.vitals.e2e;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * An OTLP/HTTP traces receiver on a free loopback port: takes {@code POST /v1/traces} (protobuf), as the
 * OpenTelemetry Collector does, and keeps every span with the service that sent it.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One span as received, with its ids in hex and its attributes as text. */
    record ReceivedSpan(String service, String name, Span.SpanKind kind, String traceId, String spanId,
                        String parentSpanId, Map<String, String> attributes, List<String> events,
                        io.opentelemetry.proto.trace.v1.Status.StatusCode status, List<String> linkedSpanIds) {
        @Nullable String attribute(String key) {
            return attributes.get(key);
        }

        @Override
        public String toString() {
            return service + " " + name + " " + kind + " " + spanId + " <- " + parentSpanId + " " + attributes;
        }
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        OtlpReceiver receiver = new OtlpReceiver(server);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                receiver.requests.incrementAndGet();
                receiver.take(ExportTraceServiceRequest.parseFrom(body.readAllBytes()));
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException | RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
        return receiver;
    }

    /** The settings (system properties) that make a process export here, at once, every span. */
    Map<String, String> exportHere() {
        return Map.of("otel.traces.exporter", "otlp",
                "otel.exporter.otlp.endpoint", endpoint(),
                "otel.bsp.schedule.delay", "100");
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many export requests came. */
    int requests() {
        return requests.get();
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    private void take(ExportTraceServiceRequest request) {
        for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
            String service = service(resourceSpans.getResource());
            for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                for (Span span : scopeSpans.getSpansList()) {
                    spans.add(new ReceivedSpan(service, span.getName(), span.getKind(), hex(span.getTraceId()),
                            hex(span.getSpanId()), hex(span.getParentSpanId()), attributes(span.getAttributesList()),
                            span.getEventsList().stream().map(Span.Event::getName).toList(),
                            span.getStatus().getCode(),
                            span.getLinksList().stream().map(link -> hex(link.getSpanId())).toList()));
                }
            }
        }
    }

    private static String service(Resource resource) {
        String name = attributes(resource.getAttributesList()).get("service.name");
        return name == null ? "" : name;
    }

    private static Map<String, String> attributes(List<KeyValue> attributes) {
        Map<String, String> byKey = new java.util.TreeMap<>();
        for (KeyValue attribute : attributes) {
            byKey.put(attribute.getKey(), text(attribute.getValue()));
        }
        return byKey;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            default -> value.toString().strip();
        };
    }

    private static String hex(ByteString bytes) {
        return HexFormat.of().formatHex(bytes.toByteArray());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
