package dev.vitals.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * What {@code /proc} says of the processes a comparison measures: CPU time ({@code utime + stime} of
 * {@code /proc/PID/stat}), resident memory ({@code VmRSS} of {@code /proc/PID/status}), children, and the
 * machine's RabbitMQ node ({@code beam.smp}). Parsing is separate from reading; the parsers are pure.
 */
public final class ProcStats {

    /** Clock ticks per second of {@code utime} and {@code stime}: 100 on every Linux this runs on. */
    static final int TICKS_PER_SECOND = 100;

    private final Path proc;

    public ProcStats(Path proc) {
        this.proc = proc;
    }

    public static ProcStats system() {
        return new ProcStats(Path.of("/proc"));
    }

    /** CPU time the processes have used so far, in ms; a process that is gone counts nothing. */
    public double cpuMillis(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            ticks += read(pid, "stat").map(ProcStats::parseCpuTicks).orElse(0L);
        }
        return ticks * 1000.0 / TICKS_PER_SECOND;
    }

    /** Resident memory of the processes together, in kB; empty when none of them could be read. */
    public OptionalLong residentKb(List<Long> pids) {
        long kb = 0;
        boolean any = false;
        for (long pid : pids) {
            var status = read(pid, "status");
            if (status.isPresent()) {
                kb += parseResidentKb(status.get());
                any = true;
            }
        }
        return any ? OptionalLong.of(kb) : OptionalLong.empty();
    }

    /** The processes whose parent is {@code parent}. */
    public List<Long> children(long parent) {
        List<Long> children = new ArrayList<>();
        for (long pid : allPids()) {
            read(pid, "stat").ifPresent(stat -> {
                if (parseParent(stat) == parent) {
                    children.add(pid);
                }
            });
        }
        return children;
    }

    /** The processes named {@code name} (their {@code comm}), such as {@code beam.smp}. */
    public List<Long> named(String name) {
        List<Long> found = new ArrayList<>();
        for (long pid : allPids()) {
            read(pid, "comm").ifPresent(comm -> {
                if (comm.strip().equals(name)) {
                    found.add(pid);
                }
            });
        }
        return found;
    }

    private List<Long> allPids() {
        try (Stream<Path> entries = Files.list(proc)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private java.util.Optional<String> read(long pid, String file) {
        try {
            return java.util.Optional.of(Files.readString(proc.resolve(Long.toString(pid)).resolve(file)));
        } catch (IOException e) {
            return java.util.Optional.empty(); // the process ended
        }
    }

    /** {@code utime + stime} in clock ticks from a {@code /proc/PID/stat} line (fields 14 and 15). */
    static long parseCpuTicks(String stat) {
        String[] fields = afterName(stat);
        // after the name: state is field 3, so utime (14) and stime (15) are at 11 and 12
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The parent's pid (field 4) from a {@code /proc/PID/stat} line. */
    static long parseParent(String stat) {
        return Long.parseLong(afterName(stat)[1]);
    }

    /** {@code VmRSS} in kB from {@code /proc/PID/status}; 0 for a process without one (a zombie). */
    static long parseResidentKb(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String value = line.substring("VmRSS:".length()).strip();
                if (!value.endsWith(" kB")) {
                    throw new IllegalArgumentException("VmRSS not in kB: '" + line + "'");
                }
                return Long.parseLong(value.substring(0, value.length() - 3).strip());
            }
        }
        return 0;
    }

    /** The fields after the process's name, which may hold spaces and parentheses itself. */
    private static String[] afterName(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: '" + stat + "'");
        }
        return stat.substring(end + 2).strip().split(" ");
    }
}
