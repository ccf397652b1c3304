package dev.vitals.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;

/** {@code vitals bench}: see {@link LoadOptions#USAGE}. Prints one summary line; exit 0, or 2 on bad options. */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (!args.isEmpty() && args.getFirst().equals("history")) {
            return HistoryBench.run(args.subList(1, args.size()), out, err);
        }
        if (!args.isEmpty() && args.getFirst().equals("compare")) {
            return dev.vitals.bench.compare.CompareBench.run(args.subList(1, args.size()), out, err);
        }
        if (!args.isEmpty() && args.getFirst().equals("heartbeats")) {
            return HeartbeatBench.run(args.subList(1, args.size()), out, err);
        }
        if (!args.isEmpty() && args.getFirst().equals("dashboard")) {
            return DashboardBench.run(args.subList(1, args.size()), out, err);
        }
        if (args.contains("-h") || args.contains("--help")) {
            out.print(LoadOptions.USAGE);
            return 0;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("vitals bench: " + e.getMessage());
            err.print(LoadOptions.USAGE);
            return 2;
        }
        LoadResult result;
        try (LoadRun run = new LoadRun(options)) {
            result = run.run();
        }
        out.println(result.summary());
        if (options.json() != null) {
            write(result, options);
        }
        return 0;
    }

    private static void write(LoadResult result, LoadOptions options) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode node = json.createObjectNode()
                .put("mode", result.mode().name().toLowerCase(java.util.Locale.ROOT))
                .put("api", options.api().toString())
                .put("clients", result.clients())
                .put("elapsed_seconds", result.elapsed().toNanos() / 1e9)
                .put("ok", result.successes())
                .put("errors", result.errors())
                .put("per_second", result.throughput())
                .put("p50_ms", result.percentileMillis(50))
                .put("p90_ms", result.percentileMillis(90))
                .put("p99_ms", result.percentileMillis(99))
                .put("max_ms", result.latency().getMaxValue() / 1000.0)
                .put("warmup_seconds", options.warmup().toSeconds())
                .put("tool_cpu_ms_per_request", result.toolCpuMillisPerRequest());
        node.putPOJO("errors_by_kind", result.errorsByKind());
        Files.writeString(options.json(), json.writeValueAsString(node));
    }
}
