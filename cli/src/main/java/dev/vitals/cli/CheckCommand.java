package dev.vitals.cli;

import dev.vitals.model.ExitCode;
import dev.vitals.model.HealthReport;
import dev.vitals.model.text.ReportTable;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** {@code vitals check}: see {@link CheckOptions#USAGE}. */
public final class CheckCommand {

    private CheckCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
        CheckOptions options;
        try {
            options = CheckOptions.parse(args, env);
        } catch (IllegalArgumentException e) {
            err.println("vitals check: " + e.getMessage());
            err.print(CheckOptions.USAGE);
            return args.contains("--nagios") ? NagiosLine.State.UNKNOWN.exitCode() : ExitCode.COULD_NOT_RUN.code();
        }
        if (options.help()) {
            out.print(CheckOptions.USAGE);
            return 0;
        }
        CheckOutcome outcome = new ApiClient(options.api(), options.token(), Clock.systemUTC())
                .check(options.target().value(), options.timeout());
        return switch (options.output()) {
            case NAGIOS -> {
                NagiosLine.Result result = NagiosLine.format(outcome);
                out.println(result.line());
                yield result.state().exitCode();
            }
            case QUIET -> exitCode(outcome);
            case JSON -> {
                switch (outcome) {
                    case CheckOutcome.Completed completed -> out.println(completed.taskJson());
                    case CheckOutcome.NotCarriedOut failed -> {
                        if (failed.taskJson() != null) {
                            out.println(failed.taskJson());
                        }
                        err.println("vitals check: " + failed.reason());
                    }
                }
                yield exitCode(outcome);
            }
            case TABLE -> {
                switch (outcome) {
                    case CheckOutcome.Completed completed -> {
                        if (options.target().isAll()) {
                            out.println(completed.status().id().toUpperCase(java.util.Locale.ROOT) + ": "
                                    + completed.reports().size() + " worker(s) reported");
                            completed.reports().forEach(report -> out.println(ReportTable.line(report)));
                        } else {
                            completed.reports().forEach(report -> out.print(ReportTable.format(report)));
                        }
                        if (!completed.missingWorkers().isEmpty()) {
                            out.println("no report from: " + String.join(", ", completed.missingWorkers()));
                        }
                    }
                    case CheckOutcome.NotCarriedOut failed -> err.println("vitals check: " + failed.reason());
                }
                yield exitCode(outcome);
            }
        };
    }

    private static int exitCode(CheckOutcome outcome) {
        return switch (outcome) {
            case CheckOutcome.Completed completed -> ExitCode.of(completed.status()).code();
            case CheckOutcome.NotCarriedOut failed -> ExitCode.COULD_NOT_RUN.code();
        };
    }
}
