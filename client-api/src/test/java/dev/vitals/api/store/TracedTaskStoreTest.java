package dev.vitals.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskMessage;
import dev.vitals.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TracedTaskStoreTest {

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build();
    private final Tracing tracing = Tracing.with(sdk);
    private final TaskStore store = new TracedTaskStore(nothingStore(), tracing, "jdbc:postgresql://db/vitals");
    private final StoredTask task = StoredTask.queued(UUID.randomUUID(), TaskMessage.HEALTH_CHECK, Target.ANY, "{}",
            Instant.parse("2026-11-22T10:15:30.123Z"), Instant.parse("2026-11-22T10:16:00.123Z"), List.of());

    /** A store that does nothing, finds nothing, and fails to delete. */
    private static TaskStore nothingStore() {
        return (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("delete")) {
                        throw new StoreUnavailableException("the store is down", null);
                    }
                    Class<?> type = method.getReturnType();
                    return type == Optional.class ? Optional.empty() : type == boolean.class ? false
                            : type == int.class ? 0 : type == List.class ? List.of() : null;
                });
    }

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    private List<SpanData> inATrace(Runnable calls) {
        Span request = tracing.start("POST /api/v1/health-checks", SpanKind.SERVER);
        try (Scope ignored = request.makeCurrent()) {
            calls.run();
        } finally {
            request.end();
        }
        return exported.getFinishedSpanItems().stream().filter(span -> span.getKind() == SpanKind.CLIENT).toList();
    }

    @Test
    void givesACallInATraceADatabaseClientSpan() {
        List<SpanData> spans = inATrace(() -> store.insert(task));

        assertThat(spans).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("INSERT tasks");
            assertThat(span.getAttributes().asMap().toString()).contains("db.system.name=postgresql",
                    "db.operation.name=INSERT", "db.collection.name=tasks", "vitals.store.call=insert");
        });
    }

    @Test
    void namesTheTableACallUses() {
        assertThat(inATrace(() -> store.reports(task.taskId()))).extracting(SpanData::getName)
                .containsExactly("SELECT task_reports");
    }

    @Test
    void makesNoSpanForACallInNoTrace() {
        store.find(task.taskId());

        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void recordsAFailedCallOnItsSpanAndLetsTheFailureThrough() {
        List<SpanData> spans = inATrace(() -> assertThatThrownBy(() -> store.delete(task.taskId()))
                .isInstanceOf(StoreUnavailableException.class));

        assertThat(spans).singleElement().satisfies(span -> {
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(span.getEvents()).extracting(event -> event.getName()).contains("exception");
        });
    }

    @Test
    void readsTheDatabaseSystemFromTheJdbcUrl() {
        assertThat(TracedTaskStore.system("jdbc:h2:file:./data/vitals")).isEqualTo("h2");
        assertThat(TracedTaskStore.system("jdbc:postgresql://db:5432/vitals")).isEqualTo("postgresql");
        assertThat(TracedTaskStore.system("nonsense")).isEqualTo("other_sql");
    }
}
