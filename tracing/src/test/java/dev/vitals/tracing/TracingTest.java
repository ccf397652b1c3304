package dev.vitals.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TracingTest {

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = sdk(Sampler.alwaysOn());

    private OpenTelemetrySdk sdk(Sampler sampler) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().setSampler(sampler)
                        .addSpanProcessor(SimpleSpanProcessor.create(exported)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    @Test
    void isOffWhenNoTracesExporterIsNamed() {
        assertThat(Tracing.fromSettings("vitals-test", Map.of()).isOn()).isFalse();
        assertThat(Tracing.fromSettings("vitals-test", Map.of("otel.traces.exporter", "none")).isOn()).isFalse();
        assertThat(Tracing.fromSettings("vitals-test", Map.of("otel.traces.exporter", "otlp",
                "otel.sdk.disabled", "true")).isOn()).isFalse();
    }

    @Test
    void offMakesNoSpansAndAddsNoHeaders() {
        Tracing off = Tracing.off();
        Map<String, Object> headers = Map.of("worker_id", "w-1");

        assertThat(off.start("request", SpanKind.SERVER)).isSameAs(Span.getInvalid());
        assertThat(off.consumer("q", "q", "id", Map.of("traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), true)).isSameAs(Span.getInvalid());
        assertThat(off.withContext(headers)).isSameAs(headers);
        assertThat(off.makeCurrent(Span.getInvalid())).isSameAs(Scope.noop());
    }

    @Test
    void isOnWithAnExporterAndNamesTheService() {
        try (Tracing on = Tracing.fromSettings("vitals-test", Map.of("otel.traces.exporter", "otlp",
                "otel.exporter.otlp.endpoint", "http://127.0.0.1:9"))) {
            assertThat(on.isOn()).isTrue();
            assertThat(on.openTelemetry()).isInstanceOf(OpenTelemetrySdk.class);
            assertThat(((OpenTelemetrySdk) on.openTelemetry()).getSdkTracerProvider().toString())
                    .contains("service.name=\"vitals-test\"");
        }
    }

    @Test
    void carriesTheTraceAcrossAmqpHeadersToAConsumerSpan() {
        Tracing tracing = Tracing.with(sdk);
        Span request = tracing.start("request", SpanKind.SERVER);
        Map<String, Object> headers;
        try (Scope ignored = tracing.makeCurrent(request)) {
            Span publish = tracing.producer("", "maintenance_tasks");
            try (Scope inner = tracing.makeCurrent(publish)) {
                headers = tracing.withContext(Map.of("worker_id", "w-1"));
            }
            publish.end();
        } finally {
            request.end();
        }
        // as the RabbitMQ client hands a header back: not a String
        Map<String, Object> received = new HashMap<>();
        headers.forEach((key, value) -> received.put(key, new StringBuilder(value.toString())));
        tracing.consumer("maintenance_tasks", "maintenance_tasks", "id-1", received, false).end();

        List<SpanData> spans = exported.getFinishedSpanItems();
        assertThat(spans).extracting(SpanData::getName)
                .containsExactly("publish maintenance_tasks", "request", "process maintenance_tasks");
        SpanData publish = spans.get(0);
        SpanData process = spans.get(2);
        assertThat(headers).containsKey("traceparent").containsEntry("worker_id", "w-1");
        assertThat(process.getTraceId()).isEqualTo(spans.get(1).getTraceId());
        assertThat(process.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getAttributes().asMap().toString())
                .contains("messaging.system=rabbitmq", "messaging.operation.type=process",
                        "messaging.destination.name=maintenance_tasks", "messaging.message.id=id-1");
        assertThat(publish.getAttributes().asMap().toString()).contains("messaging.operation.type=send");
    }

    @Test
    void makesNoSpanInATraceLeftOutButCarriesItsDecisionOn() {
        try (OpenTelemetrySdk sampling = sdk(Sampler.parentBased(Sampler.alwaysOff()))) {
            Tracing tracing = Tracing.with(sampling);
            String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";

            Span process = tracing.consumer("maintenance_tasks", "maintenance_tasks", "id-1",
                    Map.of("traceparent", traceparent), true);
            Map<String, Object> headers;
            Map<String, Object> published;
            try (Scope ignored = tracing.makeCurrent(process)) {
                assertThat(tracing.recordsInTrace()).isFalse();
                assertThat(tracing.startInTrace("check cpu", SpanKind.INTERNAL)).isSameAs(process);
                Span publish = tracing.producer("vitals.events", "task.completed");
                assertThat(publish).isSameAs(process);
                headers = tracing.withContext(Map.of());
                published = tracing.withContext(publish, Map.of("worker_id", "w-1"));
                assertThat(Tracing.currentTraceId()).isNull();
                assertThat(MDC.get(Tracing.TRACE_ID)).isNull();
            }

            assertThat(process.isRecording()).isFalse();
            assertThat(process.getSpanContext().getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            assertThat(headers).containsEntry("traceparent", traceparent);
            assertThat(published).containsEntry("traceparent", traceparent).containsEntry("worker_id", "w-1");
            assertThat(exported.getFinishedSpanItems()).isEmpty();
        }
    }

    @Test
    void continuesASampledTraceEvenWhereTracesLeftOutAreOnlyCarried() {
        try (OpenTelemetrySdk sampling = sdk(Sampler.parentBased(Sampler.alwaysOff()))) {
            Tracing tracing = Tracing.with(sampling);

            Span process = tracing.consumer("maintenance_tasks", "maintenance_tasks", "id-1",
                    Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), true);
            try (Scope ignored = tracing.makeCurrent(process)) {
                assertThat(tracing.recordsInTrace()).isTrue();
                tracing.startInTrace("check cpu", SpanKind.INTERNAL).end();
            } finally {
                process.end();
            }

            assertThat(exported.getFinishedSpanItems()).extracting(SpanData::getName)
                    .containsExactly("check cpu", "process maintenance_tasks");
            assertThat(exported.getFinishedSpanItems().get(1).getParentSpanId()).isEqualTo("b7ad6b7169203331");
        }
    }

    @Test
    void addsTheContextOfAProducerSpanWithoutMakingItCurrent() {
        Tracing tracing = Tracing.with(sdk);
        Span request = tracing.start("request", SpanKind.SERVER);
        try (Scope ignored = tracing.makeCurrent(request)) {
            Span publish = tracing.producer("vitals.events", "task.started");
            Map<String, Object> headers = tracing.withContext(publish, null);
            publish.end();

            assertThat(Span.current()).isSameAs(request);
            assertThat(headers).containsEntry("traceparent", "00-" + publish.getSpanContext().getTraceId() + "-"
                    + publish.getSpanContext().getSpanId() + "-" + publish.getSpanContext().getTraceFlags().asHex());
        } finally {
            request.end();
        }
    }

    @Test
    void startsNoConsumerSpanForAnUntracedDeliveryUnlessAskedTo() {
        Tracing tracing = Tracing.with(sdk);

        assertThat(tracing.consumer("q", "task.started", null, null, false).getSpanContext().isValid()).isFalse();
        Span root = tracing.consumer("q", "task.started", null, null, true);
        assertThat(root.getSpanContext().isValid()).isTrue();
        root.end();
    }

    @Test
    void startsSpansInATraceOnlyWhenOneIsCurrent() {
        Tracing tracing = Tracing.with(sdk);

        assertThat(tracing.startInTrace("INSERT tasks", SpanKind.CLIENT).getSpanContext().isValid()).isFalse();
        assertThat(tracing.producer("vitals.events", "worker.heartbeat").getSpanContext().isValid()).isFalse();
    }

    @Test
    void putsTheIdsOfTheCurrentSampledSpanInTheMdcAndTakesThemOutAfter() {
        Tracing tracing = Tracing.with(sdk);
        Span span = tracing.start("work", SpanKind.INTERNAL);
        try (Scope ignored = tracing.makeCurrent(span)) {
            assertThat(MDC.get(Tracing.TRACE_ID)).isEqualTo(span.getSpanContext().getTraceId());
            assertThat(MDC.get(Tracing.SPAN_ID)).isEqualTo(span.getSpanContext().getSpanId());
            assertThat(Tracing.currentTraceId()).isEqualTo(span.getSpanContext().getTraceId());
        } finally {
            span.end();
        }
        assertThat(MDC.get(Tracing.TRACE_ID)).isNull();
        assertThat(MDC.get(Tracing.SPAN_ID)).isNull();
        assertThat(Tracing.currentTraceId()).isNull();
    }

    @Test
    void takesTheIdsOutOfTheMdcWhileATraceLeftOutIsCurrentAndPutsThemBackAfter() {
        try (OpenTelemetrySdk sampling = sdk(Sampler.parentBased(Sampler.alwaysOn()))) {
            Tracing tracing = Tracing.with(sampling);
            Span span = tracing.start("work", SpanKind.INTERNAL);
            try (Scope ignored = tracing.makeCurrent(span)) {
                Span carried = tracing.consumer("q", "q", "id-1", Map.of("traceparent",
                        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"), false);
                try (Scope inner = tracing.makeCurrent(carried)) {
                    assertThat(MDC.get(Tracing.TRACE_ID)).isNull();
                    assertThat(MDC.get(Tracing.SPAN_ID)).isNull();
                }
                assertThat(MDC.get(Tracing.TRACE_ID)).isEqualTo(span.getSpanContext().getTraceId());
                assertThat(MDC.get(Tracing.SPAN_ID)).isEqualTo(span.getSpanContext().getSpanId());
            } finally {
                span.end();
            }
            assertThat(MDC.get(Tracing.TRACE_ID)).isNull();
        }
    }

    @Test
    void startsARootSpanPerScheduledRunWhateverIsCurrent() {
        Tracing tracing = Tracing.with(sdk);
        Span outer = tracing.start("outer", SpanKind.INTERNAL);
        try (Scope ignored = tracing.makeCurrent(outer); Tracing.SpanScope run = tracing.scheduledRun("nightly")) {
            tracing.startInTrace("INSERT tasks", SpanKind.CLIENT).end();
        } finally {
            outer.end();
        }
        SpanData run = exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals("schedule nightly"))
                .findFirst().orElseThrow();
        SpanData insert = exported.getFinishedSpanItems().get(0);
        assertThat(run.getParentSpanContext().isValid()).isFalse();
        assertThat(insert.getParentSpanId()).isEqualTo(run.getSpanId());
        assertThat(run.getAttributes().asMap().toString()).contains("vitals.schedule.name=nightly");
    }
}
