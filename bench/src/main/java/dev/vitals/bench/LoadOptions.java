package dev.vitals.bench;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The options of {@code vitals bench}, parsed and bounded.
 *
 * @param mode     what to measure
 * @param api      base URL of the API
 * @param clients  concurrent clients, 1 to 1024
 * @param count    requests in all for {@code e2e} (the run also stops at {@code duration})
 * @param duration how long {@code throughput} and {@code get} run, and the most any run takes; at most 10 min
 * @param warmup   how long the same load runs first, unmeasured, so that every JVM involved has compiled its
 *                 hot paths; zero for none, at most 10 min
 * @param json     where to write the results as JSON, if anywhere
 * @param token    bearer token for an API that needs one ({@code --token}, else {@code VITALS_API_TOKEN})
 * @param pollInterval for an API without {@code ?wait}: a check is a POST, then a GET of the task every this
 *                 long until it is terminal, timed from the POST to the terminal answer; zero means the API
 *                 has {@code ?wait} (a POST with {@code ?wait} is the whole check)
 */
public record LoadOptions(Mode mode, URI api, int clients, int count, Duration duration, Duration warmup,
                          @Nullable Path json, @Nullable String token, Duration pollInterval) {

    public LoadOptions {
        if (pollInterval.isNegative()) {
            throw new IllegalArgumentException("the poll interval may not be negative, got " + pollInterval);
        }
    }

    /** Whether a check is polled for ({@code --poll-interval}) rather than waited for with {@code ?wait}. */
    public boolean polls() {
        return !pollInterval.isZero();
    }

    /** What a run measures. */
    public enum Mode {
        /** POST ?wait until completed, one after the other per client: the end-to-end latency of a check. */
        E2E,
        /** POST ?wait from every client for the whole duration: completed checks per second. */
        THROUGHPUT,
        /** GET by id of tasks made beforehand, from every client for the whole duration. */
        GET
    }

    static final Duration MAX_DURATION = Duration.ofMinutes(10);

    public static final String USAGE = """
            usage: vitals bench e2e|throughput|get [--api URL] [--clients C] [--count N] [--duration SECONDS]
                   [--warmup SECONDS] [--json FILE] [--token TOKEN] [--poll-interval MS]

              e2e         POST ?wait=10 until completed, N times per run (default 200) spread over C clients
              throughput  C clients POST ?wait=30 for the duration (default 10 s)
              get         C clients GET tasks by id for the duration (default 10 s)
              --api URL   the API (default http://localhost:8080)
              --clients   concurrent clients, 1 to 1024 (default 1 for e2e, 64 otherwise)
              --warmup    first run the same load this long without measuring it (default 0)
              --json      also write the results as JSON to FILE
              --token     bearer token of the API (default $VITALS_API_TOKEN)
              --poll-interval MS  for an API without ?wait: POST, then GET the task every MS ms (1 to 10000)
                          until it is completed, failed or expired; the check's latency runs from the POST
            Every run is bounded: at most 10 minutes, and as long again for the warm-up.

            usage: vitals bench compare [--peer DIR] [--vitals URL] [--warmup S] [--duration S] [--count N]
                   [--cold S] [--clients C] [--poll-interval MS] [--api-port P] [--peer-port P] [--broker-pid PID]
              starts Vitals (bin/vitals up, a fresh store) and the FastAPI + Celery peer (DIR/start.sh, default
              ../shared/peer from the repository), runs the same warm-up and runs against both, one after the
              other, and prints each figure with the ratio and the issue's target; --vitals URL measures a
              Vitals already running instead (no cold run, CPU or memory); see bench/README.md

            usage: vitals bench history --store JDBC_URL [--workers 1000] [--rounds 10] [--days 400] [--queries 200]
              the history's recording cost, store size and query times on a PostgreSQL database of its own
              (everything in it is deleted first); see bench/README.md
            """;

    public static LoadOptions parse(List<String> args) {
        return parse(args, System.getenv("VITALS_API_TOKEN"));
    }

    static LoadOptions parse(List<String> args, @Nullable String tokenFromEnvironment) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("name a mode: e2e, throughput or get");
        }
        Mode mode = switch (args.get(0)) {
            case "e2e" -> Mode.E2E;
            case "throughput" -> Mode.THROUGHPUT;
            case "get" -> Mode.GET;
            default -> throw new IllegalArgumentException("unknown mode '" + args.get(0) + "'; use e2e, throughput or get");
        };
        URI api = URI.create("http://localhost:8080");
        int clients = mode == Mode.E2E ? 1 : 64;
        int count = 200;
        Duration duration = mode == Mode.E2E ? MAX_DURATION : Duration.ofSeconds(10);
        Duration warmup = Duration.ZERO;
        Path json = null;
        String token = tokenFromEnvironment == null || tokenFromEnvironment.isBlank() ? null : tokenFromEnvironment;
        Duration pollInterval = Duration.ZERO;
        for (Iterator<String> it = args.subList(1, args.size()).iterator(); it.hasNext(); ) {
            String option = it.next();
            if (!it.hasNext()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = it.next();
            switch (option) {
                case "--api" -> api = URI.create(value.replaceAll("/+$", ""));
                case "--clients" -> clients = between(option, value, 1, 1024);
                case "--count" -> count = between(option, value, 1, 1_000_000);
                case "--duration" -> duration = Duration.ofSeconds(between(option, value, 1,
                        (int) MAX_DURATION.toSeconds()));
                case "--warmup" -> warmup = Duration.ofSeconds(between(option, value, 0,
                        (int) MAX_DURATION.toSeconds()));
                case "--json" -> json = Path.of(value);
                case "--token" -> token = value;
                case "--poll-interval" -> pollInterval = Duration.ofMillis(between(option, value, 1, 10_000));
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return new LoadOptions(mode, api, clients, count, duration, warmup, json, token, pollInterval);
    }

    /**
     * {@code value} as a whole number from {@code min} to {@code max}, for the option {@code option} of any bench
     * command.
     *
     * @throws IllegalArgumentException naming the option, the range and the value
     */
    public static int between(String option, String value, int min, int max) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a whole number from " + min + " to " + max
                + ", got '" + value + "'");
    }
}
