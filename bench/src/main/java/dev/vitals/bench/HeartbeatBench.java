package dev.vitals.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.vitals.bench.compare.ProcStats;
import dev.vitals.broker.Topology;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.event.EventType;
import dev.vitals.model.event.WorkerHeartbeat;
import dev.vitals.model.json.VitalsJson;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code vitals bench heartbeats}: what a large fleet's heartbeats cost, without the fleet. Publishes the
 * {@code worker.heartbeat} events of {@code --workers} simulated workers, each every {@code --interval} seconds,
 * spread evenly, for {@code --duration} seconds, on the broker of {@code RABBITMQ_URI} (or {@code --broker}); an API
 * on that broker stores them as it would real ones (each simulated worker becomes a row of its registry). With
 * {@code --pid} (given once per process: the API, the broker), prints each process's CPU per heartbeat and share of
 * a core, from {@code /proc/<pid>/stat}.
 */
final class HeartbeatBench {

    static final String USAGE = """
            usage: vitals bench heartbeats [--broker URI] [--workers N] [--interval S] [--duration S] [--pid PID]...
              --broker     amqp:// URI (default: RABBITMQ_URI, else amqp://guest:guest@127.0.0.1:5672/%2f)
              --workers    simulated workers, 1 to 100000 (default 1000)
              --interval   seconds between two heartbeats of one worker, 1 to 300 (default 5, a worker's default)
              --duration   seconds to publish, 5 to 600 (default 30)
              --pid        a process whose CPU to measure over the run (the API, the broker); repeatable
            """;

    private HeartbeatBench() {
    }

    record Options(URI broker, int workers, int intervalSeconds, int durationSeconds, List<Long> pids) {

        static Options parse(List<String> args) {
            String fromEnvironment = System.getenv("RABBITMQ_URI");
            URI broker = URI.create(fromEnvironment == null || fromEnvironment.isBlank()
                    ? "amqp://guest:guest@127.0.0.1:5672/%2f" : fromEnvironment.strip());
            int workers = 1000;
            int interval = 5;
            int duration = 30;
            List<Long> pids = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String option = args.get(i);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args.get(++i);
                switch (option) {
                    case "--broker" -> broker = URI.create(value);
                    case "--workers" -> workers = between(option, value, 1, 100_000);
                    case "--interval" -> interval = between(option, value, 1, 300);
                    case "--duration" -> duration = between(option, value, 5, 600);
                    case "--pid" -> pids.add((long) between(option, value, 1, Integer.MAX_VALUE));
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            return new Options(broker, workers, interval, duration, List.copyOf(pids));
        }

        private static int between(String option, String value, int least, int most) {
            int number;
            try {
                number = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a whole number, got '" + value + "'");
            }
            if (number < least || number > most) {
                throw new IllegalArgumentException(option + " must be " + least + " to " + most + ", got " + number);
            }
            return number;
        }

        double heartbeatsPerSecond() {
            return (double) workers / intervalSeconds;
        }
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.contains("-h") || args.contains("--help")) {
            out.print(USAGE);
            return 0;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("vitals bench heartbeats: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(options.broker());
        ObjectMapper json = VitalsJson.newMapper();
        Instant started = Instant.now();
        ProcStats proc = ProcStats.system();
        double[] before = cpuMillis(proc, options.pids());
        long sent = 0;
        try (Connection connection = factory.newConnection("vitals-bench heartbeats");
             Channel channel = connection.createChannel()) {
            long periodNanos = (long) (1e9 / options.heartbeatsPerSecond());
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(options.durationSeconds()).toNanos();
            AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                    .contentType("application/json").deliveryMode(1).build();
            for (long next = start; next < end; next += periodNanos) {
                LockSupport.parkNanos(next - System.nanoTime());
                String workerId = "bench-heartbeat-" + (sent % options.workers());
                WorkerHeartbeat heartbeat = new WorkerHeartbeat(workerId, "bench", "bench", started, Instant.now(),
                        WorkerHeartbeat.WorkerState.HEALTHY, HealthStatus.HEALTHY,
                        (double) options.intervalSeconds());
                channel.basicPublish(Topology.EVENTS_EXCHANGE, EventType.WORKER_HEARTBEAT.routingKey(), properties,
                        json.writeValueAsBytes(heartbeat));
                sent++;
            }
        }
        double seconds = Duration.between(started, Instant.now()).toNanos() / 1e9;
        double[] after = cpuMillis(proc, options.pids());
        out.printf(Locale.ROOT, "heartbeats: %d simulated workers every %d s: %d sent in %.1f s (%.0f/s)%n",
                options.workers(), options.intervalSeconds(), sent, seconds, sent / seconds);
        for (int i = 0; i < options.pids().size(); i++) {
            double cpuSeconds = (after[i] - before[i]) / 1000;
            out.printf(Locale.ROOT, "  pid %d: %.3f ms CPU per heartbeat, %.1f %% of one core%n", options.pids().get(i),
                    cpuSeconds * 1000 / Math.max(1, sent), cpuSeconds / seconds * 100);
        }
        return 0;
    }

    /** CPU time each process has used so far, in ms. */
    private static double[] cpuMillis(ProcStats proc, List<Long> pids) {
        double[] millis = new double[pids.size()];
        for (int i = 0; i < millis.length; i++) {
            millis[i] = proc.cpuMillis(List.of(pids.get(i)));
        }
        return millis;
    }
}
