package dev.vitals.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a run measured: latencies of the successful requests, their rate, and the errors.
 *
 * @param latency microseconds per successful request
 * @param toolCpu CPU time the load tool itself used while measuring (all its threads), taken from the
 *                machine it measures when both run on one; zero when the JVM cannot tell
 */
public record LoadResult(LoadOptions.Mode mode, int clients, Duration elapsed, Histogram latency, long errors,
                         Map<String, Long> errorsByKind, Duration toolCpu) {

    /** The tool's own CPU per request answered (successful or not), in milliseconds. */
    public double toolCpuMillisPerRequest() {
        return toolCpu.toNanos() / 1e6 / Math.max(1, successes() + errors);
    }

    public long successes() {
        return latency.getTotalCount();
    }

    /** Successful requests per second. */
    public double throughput() {
        return successes() / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }

    public double percentileMillis(double percentile) {
        return latency.getValueAtPercentile(percentile) / 1000.0;
    }

    public String summary() {
        return String.format(Locale.ROOT,
                "%s, %d client(s), %.1f s: %d ok, %d errors, %.0f/s; latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f;"
                        + " tool CPU %.3f ms/request%s",
                mode.name().toLowerCase(Locale.ROOT), clients, elapsed.toNanos() / 1e9, successes(), errors,
                throughput(), percentileMillis(50), percentileMillis(90), percentileMillis(99),
                latency.getMaxValue() / 1000.0, toolCpuMillisPerRequest(), errorsByKind.isEmpty() ? "" : " " + errorsByKind);
    }
}
