package dev.vitals.model.text;

import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import dev.vitals.model.CpuUsage;
import dev.vitals.model.DiskUsage;
import dev.vitals.model.HealthReport;
import dev.vitals.model.LoadAverage;
import dev.vitals.model.Measurement;
import dev.vitals.model.MemoryUsage;
import dev.vitals.model.ThreadCount;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A report as a small table for people at a terminal. */
public final class ReportTable {

    private static final String ROW = "%-8s %-8s %10s %9s %9s  %s%n";

    private ReportTable() {
    }

    public static String format(HealthReport report) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s on %s: %s (%.1f ms)%n", report.workerId(), report.hostname(),
                report.status().id().toUpperCase(Locale.ROOT), report.durationMs()));
        out.append(String.format(Locale.ROOT, ROW, "CHECK", "STATUS", "VALUE", "WARNING", "ERROR", "DETAIL"));
        for (Map.Entry<CheckName, CheckResult> entry : report.checks().entrySet()) {
            CheckResult result = entry.getValue();
            if (result.measurement() == null || result.threshold() == null) {
                out.append(String.format(Locale.ROOT, ROW, entry.getKey().id(), result.status().id(), "-", "-", "-",
                        result.reason()));
                continue;
            }
            String unit = entry.getKey().gradesPercent() ? " %" : "";
            out.append(String.format(Locale.ROOT, ROW, entry.getKey().id(), result.status().id(),
                    Numbers.readable(result.measurement().gradedValue()) + unit, Numbers.readable(result.threshold().warning()),
                    Numbers.readable(result.threshold().error()), detail(result.measurement())));
        }
        return out.toString();
    }

    /**
     * A report on one line, for a fleet: {@code host-a-1 on host-a: WARNING (disk warning 91.90 %)}, or
     * {@code … HEALTHY (all 5 checks ok)}.
     */
    public static String line(HealthReport report) {
        java.util.List<String> problems = new java.util.ArrayList<>();
        for (Map.Entry<CheckName, CheckResult> entry : report.checks().entrySet()) {
            CheckResult result = entry.getValue();
            if (result.measurement() == null) {
                problems.add(entry.getKey().id() + " unknown: " + result.reason());
            } else if (result.status() != dev.vitals.model.CheckStatus.OK) {
                problems.add(entry.getKey().id() + " " + result.status().id() + " "
                        + Numbers.readable(result.measurement().gradedValue()) + (entry.getKey().gradesPercent() ? " %" : ""));
            }
        }
        String detail = problems.isEmpty() ? "all " + report.checks().size() + " checks ok" : String.join(", ", problems);
        return String.format(Locale.ROOT, "%s on %s: %s (%s)", report.workerId(), report.hostname(),
                report.status().id().toUpperCase(Locale.ROOT), detail);
    }

    private static String detail(Measurement measurement) {
        return switch (measurement) {
            case CpuUsage cpu -> String.format(Locale.ROOT, "%d logical CPUs, over %.1f s", cpu.logicalCpus(),
                    cpu.windowSeconds());
            case MemoryUsage memory -> String.format(Locale.ROOT, "%.0f MB available of %.0f MB",
                    memory.availableMb(), memory.totalMb());
            case DiskUsage disk -> String.format(Locale.ROOT, "fullest %s: %.1f GB free of %.1f GB (%d watched)",
                    disk.path(), disk.freeGb(), disk.totalGb(), disk.mounts().size());
            case LoadAverage load -> "load " + load.loadAverage().stream().map(Numbers::readable)
                    .collect(Collectors.joining(" ")) + " (1, 5, 15 min)";
            case ThreadCount threads -> String.format(Locale.ROOT, "%d processes, %d worker threads",
                    threads.processes(), threads.workerThreads());
        };
    }
}
