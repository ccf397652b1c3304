package dev.vitals.cli;

import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import dev.vitals.model.CheckStatus;
import dev.vitals.model.HealthReport;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.text.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Nagios plugin output of {@code vitals check --nagios}: one line
 * {@code VITALS <STATE> - <summary> | <perfdata>} and the plugin exit code. The summary is the reason of every
 * check that is not ok ({@code disk / is 91.9 % full (13.0 GB free of 160 GB), above the warning threshold 90 %}),
 * joined by {@code ; } and prefixed with the worker id when several workers answered.
 *
 * <p>Perfdata follows the plugin guidelines, {@code label=value[UOM];warn;crit;min;max}, one per check
 * (prefixed with the worker id when several workers answered).
 */
public final class NagiosLine {

    /** The Nagios states with their exit codes: the one place that maps a check outcome to them. */
    public enum State {
        OK(0), WARNING(1), CRITICAL(2), UNKNOWN(3);

        private final int exitCode;

        State(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }

        static State of(HealthStatus status) {
            return switch (status) {
                case HEALTHY -> OK;
                case WARNING -> WARNING;
                case ERROR -> CRITICAL;
            };
        }
    }

    /** A formatted line and the state it reports. */
    public record Result(State state, String line) {
    }

    private NagiosLine() {
    }

    public static Result format(CheckOutcome outcome) {
        return switch (outcome) {
            case CheckOutcome.NotCarriedOut failed -> new Result(State.UNKNOWN,
                    "VITALS UNKNOWN - " + oneLine(failed.reason()));
            case CheckOutcome.Completed completed -> completed(completed);
        };
    }

    private static Result completed(CheckOutcome.Completed completed) {
        State state = State.of(completed.status());
        boolean several = completed.reports().size() > 1;
        List<String> problems = new ArrayList<>();
        List<String> perfdata = new ArrayList<>();
        for (HealthReport report : completed.reports()) {
            String prefix = several ? report.workerId() + "_" : "";
            for (Map.Entry<CheckName, CheckResult> entry : report.checks().entrySet()) {
                CheckResult check = entry.getValue();
                if (check.status() != CheckStatus.OK) {
                    problems.add((several ? report.workerId() + ": " : "") + check.reason());
                }
                if (check.status() == CheckStatus.UNKNOWN) {
                    continue;
                }
                double value = check.measurement().gradedValue();
                perfdata.add(perf(prefix + entry.getKey().id(), entry.getKey(), value, check));
            }
        }
        if (!completed.missingWorkers().isEmpty()) {
            problems.add("no report from " + String.join(", ", completed.missingWorkers()));
        }
        String summary = problems.isEmpty()
                ? "all checks ok on " + workers(completed.reports())
                : String.join("; ", problems);
        return new Result(state, "VITALS " + state + " - " + oneLine(summary) + " | " + String.join(" ", perfdata));
    }

    private static String perf(String label, CheckName check, double value, CheckResult result) {
        String max = check.gradesPercent() ? "100" : "";
        return String.format(Locale.ROOT, "%s=%s%s;%s;%s;0;%s", label, Numbers.readable(value), unit(check),
                Numbers.readable(result.threshold().warning()), Numbers.readable(result.threshold().error()), max);
    }

    private static String unit(CheckName check) {
        return check.gradesPercent() ? "%" : "";
    }

    private static String workers(List<HealthReport> reports) {
        return String.join(", ", reports.stream().map(HealthReport::workerId).toList());
    }

    /** Nagios reads the first line only, and '|' starts the perfdata. */
    private static String oneLine(String text) {
        return text.replace('\n', ' ').replace('|', '/');
    }
}
