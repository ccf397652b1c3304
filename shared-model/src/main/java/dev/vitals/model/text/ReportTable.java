package dev.vitals.model.text;

import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import dev.vitals.model.CheckStatus;
import dev.vitals.model.HealthReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A report as a small table for people at a terminal: a row per check with its status, graded value, thresholds
 * and the reason for its grade (see {@link dev.vitals.model.Reasons}).
 */
public final class ReportTable {

    private static final String ROW = "%-8s %-8s %10s %9s %9s  %s%n";

    private ReportTable() {
    }

    public static String format(HealthReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s on %s: %s (%.1f ms)%n", report.workerId(), report.hostname(),
                report.status().id().toUpperCase(Locale.ROOT), report.durationMs()));
        out.append(String.format(Locale.ROOT, ROW, "CHECK", "STATUS", "VALUE", "WARNING", "ERROR", "WHY"));
        for (Map.Entry<CheckName, CheckResult> entry : report.checks().entrySet()) {
            CheckResult result = entry.getValue();
            if (result.measurement() == null || result.threshold() == null) {
                out.append(String.format(Locale.ROOT, ROW, entry.getKey().id(), result.status().id(), "-", "-", "-",
                        result.reason()));
                continue;
            }
            String unit = entry.getKey().gradesPercent() ? " %" : "";
            out.append(String.format(Locale.ROOT, ROW, entry.getKey().id(), result.status().id(),
                    Numbers.readable(result.measurement().gradedValue()) + unit,
                    Numbers.readable(result.threshold().warning()), Numbers.readable(result.threshold().error()),
                    result.reason()));
        }
        return out.toString();
    }

    /**
     * A report on one line, for a fleet: {@code host-a-1 on host-a: WARNING (disk / is 91.9 % full (13.0 GB free of
     * 160 GB), above the warning threshold 90 %)}, the reasons of the checks that are not ok joined by {@code ; },
     * or {@code … HEALTHY (all 5 checks ok)}.
     */
    public static String line(HealthReport report) {
        List<String> problems = new ArrayList<>();
        for (CheckResult result : report.checks().values()) {
            if (result.status() != CheckStatus.OK) {
                problems.add(result.reason());
            }
        }
        String detail = problems.isEmpty() ? "all " + report.checks().size() + " checks ok" : String.join("; ", problems);
        return String.format(Locale.ROOT, "%s on %s: %s (%s)", report.workerId(), report.hostname(),
                report.status().id().toUpperCase(Locale.ROOT), detail);
    }
}
