package dev.vitals.bench.compare;

import dev.vitals.bench.LoadOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The options of {@code vitals bench compare}, parsed and bounded.
 *
 * @param root         the repository: {@code bin/vitals} starts Vitals from there
 * @param peer         the peer's directory ({@code start.sh}, {@code stop.sh}); default {@code ../shared/peer}
 *                     from the repository
 * @param vitals       a Vitals already running to measure instead of starting one (then no cold figures, and
 *                     no CPU or memory figures), or null to start one with {@code bin/vitals up}
 * @param clients      clients of the throughput runs, and connections of the wrk runs
 * @param warmup       the warm-up each system gets before it is measured: throughput for this long
 * @param duration     each measured throughput and wrk run
 * @param count        checks of the one-client e2e run
 * @param cold         the cold throughput run right after Vitals is ready; zero for none
 * @param pollInterval how often the peer's task is polled after its POST
 * @param apiPort      the port of the Vitals started; its workers' health ports are the next two
 * @param peerPort     the peer's HTTP port; its redis-server takes the next one
 * @param brokerPid    the RabbitMQ node whose CPU is measured, or 0 to take the machine's only {@code beam.smp}
 */
public record CompareOptions(Path root, Path peer, @Nullable URI vitals, int clients, Duration warmup,
                             Duration duration, int count, Duration cold, Duration pollInterval, int apiPort,
                             int peerPort, long brokerPid) {

    static final int MAX_SECONDS = 600;

    public static CompareOptions parse(List<String> args, Path root) {
        Path peer = root.resolve("../shared/peer").normalize();
        URI vitals = null;
        int clients = 64;
        Duration warmup = Duration.ofSeconds(30);
        Duration duration = Duration.ofSeconds(20);
        int count = 500;
        Duration cold = Duration.ofSeconds(10);
        Duration pollInterval = Duration.ofMillis(5);
        int apiPort = 18240;
        int peerPort = 18250;
        long brokerPid = 0;
        for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
            String option = it.next();
            if (!it.hasNext()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = it.next();
            switch (option) {
                case "--peer" -> peer = Path.of(value);
                case "--vitals" -> vitals = URI.create(value.replaceAll("/+$", ""));
                case "--clients" -> clients = LoadOptions.between(option, value, 1, 1024);
                case "--warmup" -> warmup = Duration.ofSeconds(LoadOptions.between(option, value, 0, MAX_SECONDS));
                case "--duration" -> duration = Duration.ofSeconds(LoadOptions.between(option, value, 1, MAX_SECONDS));
                case "--count" -> count = LoadOptions.between(option, value, 1, 100_000);
                case "--cold" -> cold = Duration.ofSeconds(LoadOptions.between(option, value, 0, 60));
                case "--poll-interval" -> pollInterval = Duration.ofMillis(LoadOptions.between(option, value, 1, 10_000));
                case "--api-port" -> apiPort = LoadOptions.between(option, value, 1024, 65_533);
                case "--peer-port" -> peerPort = LoadOptions.between(option, value, 1024, 65_534);
                case "--broker-pid" -> brokerPid = LoadOptions.between(option, value, 1, Integer.MAX_VALUE);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (vitals != null && !"http".equals(vitals.getScheme())) {
            throw new IllegalArgumentException("--vitals must be an http:// URL, got '" + vitals + "'");
        }
        if (Math.abs(apiPort - peerPort) < 3) {
            throw new IllegalArgumentException("--api-port takes three ports from " + apiPort + " and --peer-port two"
                    + " from " + peerPort + "; they overlap");
        }
        return new CompareOptions(root, peer, vitals, clients, warmup, duration, count, cold, pollInterval, apiPort,
                peerPort, brokerPid);
    }

    /** Whether the peer is there to start. */
    boolean peerPresent() {
        return java.nio.file.Files.isExecutable(peer.resolve("start.sh"))
                && java.nio.file.Files.isExecutable(peer.resolve("stop.sh"));
    }
}
