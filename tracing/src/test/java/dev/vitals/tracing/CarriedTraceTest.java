package dev.vitals.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CarriedTraceTest {

    private static final String SAMPLED_OUT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00";

    @Test
    void takesAWellFormedTraceparentWithoutTheSampledFlagAsSampledOut() {
        assertThat(CarriedTrace.isSampledOut(SAMPLED_OUT)).isTrue();
        assertThat(CarriedTrace.isSampledOut("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-02")).isTrue();
    }

    @Test
    void leavesEveryOtherTraceparentToThePropagator() {
        assertThat(CarriedTrace.isSampledOut("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).isFalse();
        assertThat(CarriedTrace.isSampledOut("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03")).isFalse();
        assertThat(CarriedTrace.isSampledOut("00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-00")).isFalse();
        assertThat(CarriedTrace.isSampledOut("00-00000000000000000000000000000000-b7ad6b7169203331-00")).isFalse();
        assertThat(CarriedTrace.isSampledOut("00-0af7651916cd43dd8448eb211c80319c-0000000000000000-00")).isFalse();
        assertThat(CarriedTrace.isSampledOut("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00")).isFalse();
        assertThat(CarriedTrace.isSampledOut(SAMPLED_OUT + "-extra")).isFalse();
        assertThat(CarriedTrace.isSampledOut("00_0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00")).isFalse();
        assertThat(CarriedTrace.isSampledOut("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0g")).isFalse();
        assertThat(CarriedTrace.isSampledOut("")).isFalse();
    }

    @Test
    void carriesTheHeadersItWasMadeFromAsTheyCameAndOnlyThose() {
        Object traceparent = new StringBuilder(SAMPLED_OUT); // as the RabbitMQ client hands a header back
        Object tracestate = new StringBuilder("vendor=abc");
        CarriedTrace carried = CarriedTrace.ifSampledOut(Map.of("traceparent", traceparent, "tracestate", tracestate,
                "baggage", "k=v", "worker_id", "w-1"), new String[] {"tracestate"});

        assertThat(carried).isNotNull();
        Map<String, Object> headers = carried.addTo(Map.of("type", "task.completed"));
        assertThat(headers).containsOnlyKeys("type", "traceparent", "tracestate");
        assertThat(headers.get("traceparent")).isSameAs(traceparent);
        assertThat(headers.get("tracestate")).isSameAs(tracestate);
    }

    @Test
    void readsItsSpanContextFromTheHeadersWhenAskedFor() {
        CarriedTrace carried = CarriedTrace.ifSampledOut(Map.of("traceparent", SAMPLED_OUT,
                "tracestate", "vendor=abc"), new String[] {"tracestate", "baggage"});

        assertThat(carried).isNotNull();
        assertThat(carried.isRecording()).isFalse();
        assertThat(carried.getSpanContext().isValid()).isTrue();
        assertThat(carried.getSpanContext().isSampled()).isFalse();
        assertThat(carried.getSpanContext().isRemote()).isTrue();
        assertThat(carried.getSpanContext().getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(carried.getSpanContext().getSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(carried.getSpanContext().getTraceState().get("vendor")).isEqualTo("abc");
    }

    @Test
    void isNotMadeForASampledTraceOrNone() {
        assertThat(CarriedTrace.ifSampledOut(Map.of("traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), new String[0])).isNull();
        assertThat(CarriedTrace.ifSampledOut(Map.of("worker_id", "w-1"), new String[0])).isNull();
    }
}
