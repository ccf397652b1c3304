package dev.vitals.worker;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.ConfigException;
import dev.vitals.settings.Settings;
import dev.vitals.model.ExitCode;
import dev.vitals.model.HealthReport;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.model.task.TaskRequest;
import dev.vitals.model.text.ReportTable;
import dev.vitals.worker.check.CheckObserver;
import dev.vitals.worker.check.HealthCheck;
import dev.vitals.worker.collect.CgroupFs;
import dev.vitals.worker.collect.MachineCollectors;
import dev.vitals.worker.collect.CpuSampler;
import dev.vitals.worker.collect.MetricUnavailableException;
import dev.vitals.worker.collect.UptimeReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import oshi.SystemInfo;
import sun.misc.Signal;

/**
 * {@code vitals worker [--once] [--json]}: runs a worker until SIGTERM, or with {@code --once} measures
 * this machine a single time without a broker and exits with the report's exit code.
 */
public final class WorkerMain {

    private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

    private static final String USAGE = """
            usage: vitals worker [--once] [--json]

              (no option)  take health_check tasks from RabbitMQ until SIGTERM
              --once       measure this machine once without a broker, print the report and exit:
                           0 healthy, 1 warning or error, 2 could not run
              --json       with --once, print the report as JSON instead of a table

            Settings: reference.conf of the worker and broker modules; override them with
            -Dconfig.file=FILE or the variables RABBITMQ_URI, VITALS_WORKER_ID, HEALTH_PORT.
            """;

    private WorkerMain() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        boolean once = false;
        boolean json = false;
        for (String arg : args) {
            switch (arg) {
                case "--once" -> once = true;
                case "--json" -> json = true;
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> {
                    err.println("vitals worker: unknown option '" + arg + "'");
                    err.print(USAGE);
                    return ExitCode.COULD_NOT_RUN.code();
                }
            }
        }
        if (json && !once) {
            err.println("vitals worker: --json only goes with --once");
            return ExitCode.COULD_NOT_RUN.code();
        }
        WorkerConfig config;
        try {
            config = WorkerConfig.load(hostname());
        } catch (ConfigException e) {
            err.println("vitals worker: cannot start: " + Settings.explain(e));
            return ExitCode.COULD_NOT_RUN.code();
        }
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logging) {
            logging.putProperty("worker_id", config.workerId()); // a field of every JSON log line
        }
        return once ? runOnce(config, json, out, err) : runUntilStopped(config);
    }

    private static int runOnce(WorkerConfig config, boolean json, PrintStream out, PrintStream err) {
        SystemInfo system = new SystemInfo();
        CgroupFs cgroups = MachineCollectors.cgroupsFor(config.gradeScope(), system);
        try (CpuSampler sampler = new CpuSampler(system.getHardware().getProcessor(), cgroups, config.onceCpuWindow(),
                Clock.systemUTC())) {
            sampler.start();
            try {
                sampler.awaitWindow(config.onceCpuWindow().multipliedBy(4));
            } catch (MetricUnavailableException e) {
                // reported as an unknown cpu check, like any metric that cannot be read
            }
            HealthCheck check = new HealthCheck(MachineCollectors.forThisMachine(system, sampler, config.watchedPaths(),
                    Clock.systemUTC(), cgroups, config.gradeScope()),
                    config.thresholds(), config.workerId(), config.hostname(), Clock.systemUTC(),
                    new UptimeReader(system.getOperatingSystem())::uptime, Duration.ZERO, CheckObserver.NONE);
            HealthReport report = check.run(UUID.randomUUID(), TaskRequest.DEFAULT);
            if (json) {
                out.println(VitalsJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
            } else {
                out.print(ReportTable.format(report));
            }
            return ExitCode.of(report.status()).code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.COULD_NOT_RUN.code();
        } catch (Exception e) {
            err.println("vitals worker --once: could not run the checks: " + e.getMessage());
            return ExitCode.COULD_NOT_RUN.code();
        }
    }

    private static int runUntilStopped(WorkerConfig config) {
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
        try (Worker worker = Worker.start(config, Clock.systemUTC(), () -> stopRequested.getCount() > 0)) {
            stopRequested.await();
            log.info("Stop requested; finishing the tasks in hand");
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            if (stopRequested.getCount() == 0) {
                log.info("Stopped before the broker could be reached");
                return 0;
            }
            // the health port taken, the broker given up on: say why and what to do, in one line
            log.error("Cannot start: {}", e.getMessage() != null ? e.getMessage() : e.toString());
            log.debug("Start-up failure", e);
            return 1;
        }
    }

    /** The version in the jar's manifest, or {@code dev} when run from classes. */
    static String version() {
        String version = WorkerMain.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    static String hostname() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
