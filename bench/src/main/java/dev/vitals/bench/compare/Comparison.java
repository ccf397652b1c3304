package dev.vitals.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The targets applied to one run's figures: each row names a measure, both systems' figures, the ratio
 * the target is about and whether it is met. The rules live here alone.
 */
public final class Comparison {

    /** Whether a target is met; {@code NOT_MEASURED} when a figure it needs is missing. */
    public enum Verdict {
        MET("met"), NOT_MET("NOT met"), NOT_MEASURED("not measured");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        static Verdict of(double ratio, double limit, boolean atLeast) {
            if (Double.isNaN(ratio)) {
                return NOT_MEASURED;
            }
            return (atLeast ? ratio >= limit : ratio <= limit) ? MET : NOT_MET;
        }
    }

    /**
     * One line of the table. Figures are already formatted; {@code ratio} is the number the target bounds;
     * {@code verdict} is null for a line that is context, not a target.
     */
    public record Row(String measure, String peer, String vitals, double ratio, String target,
                      @Nullable Verdict verdict) {
    }

    private Comparison() {
    }

    public static List<Row> rows(Figures peer, Figures vitals) {
        List<Row> rows = new ArrayList<>();
        double throughputRatio = vitals.throughput() / peer.throughput();
        rows.add(new Row("throughput, 64 clients, 2 workers (checks/s)", count(peer.throughput()),
                count(vitals.throughput()), throughputRatio, "Vitals ≥ 3× the peer",
                Verdict.of(throughputRatio, 3, true)));
        double p50Ratio = vitals.e2eP50Ms() / peer.e2eP50Ms();
        rows.add(new Row("one client, e2e p50 (ms)", millis(peer.e2eP50Ms()), millis(vitals.e2eP50Ms()), p50Ratio,
                "Vitals ≤ 1× the peer", Verdict.of(p50Ratio, 1, false)));
        double p99Ratio = vitals.e2eP99Ms() / vitals.e2eP50Ms();
        rows.add(new Row("one client, e2e p99 (ms)", millis(peer.e2eP99Ms()), millis(vitals.e2eP99Ms()), p99Ratio,
                "Vitals' p99 ≤ 2× its own p50", Verdict.of(p99Ratio, 2, false)));
        double getRatio = vitals.getRate() / vitals.pingRate();
        rows.add(new Row("GET by id, 64 connections, wrk (/s)", count(peer.getRate()), count(vitals.getRate()),
                getRatio, "Vitals ≥ 0.8× its /health/ping", Verdict.of(getRatio, 0.8, true)));
        rows.add(new Row("GET /health/ping, 64 connections, wrk (/s)", count(peer.pingRate()),
                count(vitals.pingRate()), vitals.pingRate() / peer.pingRate(), "(the HTTP stack's ceiling)", null));
        double coldRatio = vitals.coldThroughput() / vitals.throughput();
        rows.add(new Row("cold: throughput in the first seconds after ready (checks/s)", "–",
                count(vitals.coldThroughput()), coldRatio, "≥ 0.7× warm", Verdict.of(coldRatio, 0.7, true)));
        double coldP50Ratio = vitals.coldP50Ms() / vitals.throughputP50Ms();
        rows.add(new Row("cold: p50 of those, against warm throughput p50 (ms)", "–",
                millis(vitals.coldP50Ms()) + " / " + millis(vitals.throughputP50Ms()), coldP50Ratio, "≤ 1.5× warm",
                Verdict.of(coldP50Ratio, 1.5, false)));
        rows.add(new Row("broker CPU per check (ms)", millis(peer.brokerCpuMs()), millis(vitals.brokerCpuMs()),
                vitals.brokerCpuMs(), "Vitals ≤ 0.5 ms", Verdict.of(vitals.brokerCpuMs(), 0.5, false)));
        rows.add(new Row("API + workers CPU per check (ms)", millis(peer.apiWorkersCpuMs()),
                millis(vitals.apiWorkersCpuMs()), vitals.apiWorkersCpuMs(), "Vitals ≤ 0.7 ms",
                Verdict.of(vitals.apiWorkersCpuMs(), 0.7, false)));
        rows.add(new Row("worker resident memory, idle (MB)", megabytes(peer.workerRssIdleMb()),
                megabytes(vitals.workerRssIdleMb()), vitals.workerRssIdleMb(), "Vitals ≤ 64 MB",
                Verdict.of(vitals.workerRssIdleMb(), 64, false)));
        rows.add(new Row("worker resident memory, under load (MB)", megabytes(peer.workerRssLoadMb()),
                megabytes(vitals.workerRssLoadMb()), vitals.workerRssLoadMb(), "Vitals ≤ 96 MB",
                Verdict.of(vitals.workerRssLoadMb(), 96, false)));
        return rows;
    }

    /** The rows as a Markdown table, ready for bench/README.md. */
    public static String table(List<Row> rows) {
        StringBuilder table = new StringBuilder(
                "| measure | peer | Vitals | ratio or figure | target | |\n|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", row.measure(), row.peer(),
                    row.vitals(), Double.isNaN(row.ratio()) || Double.isInfinite(row.ratio()) ? "–"
                            : String.format(Locale.ROOT, "%.2f", row.ratio()),
                    row.target(), row.verdict() == null ? "" : row.verdict().text));
        }
        return table.toString();
    }

    private static String count(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String megabytes(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.1f", value);
    }
}
