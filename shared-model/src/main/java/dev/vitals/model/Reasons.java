package dev.vitals.model;

import java.util.Locale;

/**
 * Why a check has its grade, in one sentence a person can act on: what was measured, of what, and where it
 * stands against the threshold that decided the grade (see {@link Threshold#grade(double)}, whose rule the
 * sentence follows):
 *
 * <ul>
 *   <li>{@code disk / is 91.9 % full (78.7 GB free of 252 GB), above the warning threshold 90 %}</li>
 *   <li>{@code memory of the container is 91.0 % of its 256 MB limit (23 MB available; host 41.2 % used), above
 *       the warning threshold 80 %}</li>
 *   <li>{@code load 3.4 per core over 1 min is above the error threshold 3.0}</li>
 *   <li>{@code cpu unknown: no CPU window has closed yet}</li>
 * </ul>
 *
 * An ok check names the warning threshold it stays below; a warning or an error names its own threshold, with
 * "at" when the value equals it. This is the only place the wording lives: the report's {@code reason}, the
 * command line, Nagios, the dashboard and alert notifications all show these sentences.
 */
public final class Reasons {

    private Reasons() {
    }

    /** The reason of a graded check: its measurement against {@code threshold}, which gave {@code status}. */
    public static String graded(Measurement measurement, Threshold threshold, CheckStatus status) {
        String standing = standing(status, measurement.gradedValue(), threshold, CheckName.of(measurement).gradesPercent());
        String sentence = switch (measurement) {
            case CpuUsage cpu -> cpu(cpu) + ", " + standing;
            case MemoryUsage memory -> memory(memory) + ", " + standing;
            case DiskUsage disk -> String.format(Locale.ROOT, "disk %s is %s %% full (%s free of %s), %s", disk.path(),
                    percent(disk.percentUsed()), gigabytes(disk.freeGb()), gigabytes(disk.totalGb()), standing);
            case LoadAverage load -> "load " + load(load.perCore()) + " per core over 1 min is " + standing;
            case ThreadCount threads -> String.format(Locale.ROOT, "threads %d on the machine (%d processes), %s",
                    threads.count(), threads.processes(), standing);
        };
        String note = switch (measurement) {
            case CpuUsage cpu -> cpu.scopeNote();
            case MemoryUsage memory -> memory.scopeNote();
            default -> null;
        };
        return note == null || note.isBlank() ? sentence : sentence + " (" + note + ")";
    }

    /** The reason of a check that could not be read: {@code cpu unknown: no CPU window has closed yet}. */
    public static String unknown(CheckName check, String error) {
        return check.id() + " unknown: " + error;
    }

    private static String cpu(CpuUsage cpu) {
        if (cpu.scope() == Scope.CONTAINER && cpu.effectiveCpus() != null) {
            StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                    "cpu of the container is %s %% of its quota of %s CPU over the last %.1f s (",
                    percent(cpu.percentUsed()), load(cpu.effectiveCpus()), cpu.windowSeconds()));
            if (cpu.throttledPercent() != null && cpu.throttledPercent() > 0) {
                out.append(String.format(Locale.ROOT, "throttled in %s %% of periods", percent(cpu.throttledPercent())));
                if (cpu.throttledSeconds() != null) {
                    out.append(String.format(Locale.ROOT, ", %.1f s", cpu.throttledSeconds()));
                }
            } else {
                out.append("not throttled");
            }
            if (cpu.hostPercentUsed() != null) {
                out.append("; host ").append(percent(cpu.hostPercentUsed())).append(" % busy");
            }
            return out.append(')').toString();
        }
        return String.format(Locale.ROOT, "cpu %s %% busy over the last %.1f s (%d logical CPUs)",
                percent(cpu.percentUsed()), cpu.windowSeconds(), cpu.logicalCpus());
    }

    private static String memory(MemoryUsage memory) {
        if (memory.scope() == Scope.CONTAINER && memory.limitMb() != null) {
            String host = memory.hostPercentUsed() == null ? ""
                    : "; host " + percent(memory.hostPercentUsed()) + " % used";
            return String.format(Locale.ROOT, "memory of the container is %s %% of its %s limit (%s available%s)",
                    percent(memory.percentUsed()), megabytes(memory.limitMb()), megabytes(memory.availableMb()), host);
        }
        return String.format(Locale.ROOT, "memory %s %% used (%s available of %s)", percent(memory.percentUsed()),
                megabytes(memory.availableMb()), megabytes(memory.totalMb()));
    }

    /** Where {@code value} stands against the threshold that decided {@code status}. */
    private static String standing(CheckStatus status, double value, Threshold threshold, boolean isPercent) {
        return switch (status) {
            case ERROR -> against(value, threshold.error()) + " the error threshold " + limit(threshold.error(), isPercent);
            case WARNING -> against(value, threshold.warning()) + " the warning threshold "
                    + limit(threshold.warning(), isPercent);
            case OK -> "below the warning threshold " + limit(threshold.warning(), isPercent);
            case UNKNOWN -> throw new IllegalArgumentException("an unknown check has no standing against a threshold");
        };
    }

    private static String against(double value, double limit) {
        return value > limit ? "above" : "at";
    }

    /** A threshold: {@code 90 %}, {@code 92.5 %}; {@code 3.0}, {@code 1.5} for load; {@code 10000} for threads. */
    private static String limit(double value, boolean isPercent) {
        String number = value == Math.rint(value) && Math.abs(value) < 1e15
                ? (isPercent || value >= 100 ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value))
                : trimmed(value);
        return isPercent ? number + " %" : number;
    }

    private static String trimmed(double value) {
        String text = String.format(Locale.ROOT, "%.3f", value);
        return text.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** A percentage to one decimal: {@code 91.9}. */
    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** A load or a number of CPUs: one decimal from 1 up ({@code 3.4}), two below ({@code 0.60}, {@code 0.50}). */
    private static String load(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 1 ? "%.1f" : "%.2f", value);
    }

    /** A size given in MiB: {@code 256 MB} below a GiB, else as {@link #gigabytes(double)}. */
    private static String megabytes(double mb) {
        return mb < 1024 ? String.format(Locale.ROOT, "%.0f MB", mb) : gigabytes(mb / 1024);
    }

    /** A size given in GiB: {@code 78.7 GB} below 100, {@code 252 GB} from 100 up, in MB below one GiB. */
    private static String gigabytes(double gb) {
        if (gb < 1) {
            return String.format(Locale.ROOT, "%.0f MB", gb * 1024);
        }
        return String.format(Locale.ROOT, gb < 100 ? "%.1f GB" : "%.0f GB", gb);
    }
}
