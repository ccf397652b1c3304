package dev.vitals.worker.collect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The few Linux {@code /proc} files that give machine figures more cheaply than OSHI's general calls. The
 * instance methods only read; the static {@code parse…} functions turn the text into numbers and are pure.
 */
final class ProcFs {

    /** Where Linux mounts procfs. */
    static final Path DEFAULT_ROOT = Path.of("/proc");

    private final Path root;

    ProcFs(Path root) {
        this.root = root;
    }

    /** True when the files this class reads are there, which is the case on Linux. */
    static boolean isAvailable(Path root) {
        return Files.isReadable(root.resolve("loadavg")) && Files.isReadable(root.resolve("meminfo"))
                && Files.isReadable(root.resolve("self/mounts"));
    }

    /** Threads (scheduling entities) on the whole machine, from {@code /proc/loadavg}. */
    long threadCount() {
        return parseThreadCount(read("loadavg"));
    }

    /**
     * Processes visible here: the numeric directories of {@code /proc}. In a container with its own PID
     * namespace, that is the container's processes. Costs about a microsecond per process.
     */
    long processCount() {
        long count = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                if (isProcessId(entry.getFileName().toString())) {
                    count++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + reason(e, root), e);
        }
        return count;
    }

    /** Total and available memory, from {@code /proc/meminfo}. */
    MemoryBytes memory() {
        return parseMemInfo(read("meminfo"));
    }

    /** Every mount this process sees, from {@code /proc/self/mounts}, in mount order. */
    List<MountEntry> mounts() {
        return parseMounts(read("self/mounts"));
    }

    private String read(String file) {
        Path path = root.resolve(file);
        try {
            // Not Files.readString: a mount point may hold bytes that are not UTF-8, which must not fail the read.
            return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + reason(e, path), e);
        }
    }

    /** What went wrong, without repeating the path, which is all many file exceptions say. */
    private static String reason(IOException e, Path path) {
        String message = e.getMessage();
        return message == null || message.equals(path.toString()) ? e.getClass().getSimpleName() : message;
    }

    private static boolean isProcessId(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The total of the fourth field of {@code /proc/loadavg} ("runnable/total"), such as 140 in
     * {@code 0.66 0.24 0.09 1/140 8273}: every thread on the machine, kernel threads included.
     *
     * @throws IllegalArgumentException when the text is not in that form
     */
    static long parseThreadCount(String loadavg) {
        String[] fields = loadavg.strip().split("\\s+");
        if (fields.length < 4) {
            throw new IllegalArgumentException("unexpected /proc/loadavg: '" + loadavg.strip() + "'");
        }
        String entities = fields[3];
        int slash = entities.indexOf('/');
        try {
            return Long.parseLong(entities.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unexpected /proc/loadavg: '" + loadavg.strip() + "'", e);
        }
    }

    /**
     * {@code MemTotal} and {@code MemAvailable} of {@code /proc/meminfo}, converted from KiB to bytes. Kernels
     * before 3.14 have no {@code MemAvailable}; there it is estimated as the kernel does: free memory plus the
     * file cache and reclaimable slab ({@code MemFree + Active(file) + Inactive(file) + SReclaimable}).
     *
     * @throws IllegalArgumentException when {@code MemTotal} is missing or a value is not a number
     */
    static MemoryBytes parseMemInfo(String meminfo) {
        long total = -1;
        long available = -1;
        long estimate = 0;
        int start = 0;
        while (start < meminfo.length() && (total < 0 || available < 0)) {
            int end = meminfo.indexOf('\n', start);
            if (end < 0) {
                end = meminfo.length();
            }
            int colon = meminfo.indexOf(':', start);
            if (colon > start && colon < end) {
                String key = meminfo.substring(start, colon);
                switch (key) {
                    case "MemTotal" -> total = kibibytesToBytes(meminfo, colon + 1, end);
                    case "MemAvailable" -> available = kibibytesToBytes(meminfo, colon + 1, end);
                    case "MemFree", "Active(file)", "Inactive(file)", "SReclaimable" ->
                            estimate += kibibytesToBytes(meminfo, colon + 1, end);
                    default -> {
                        // not needed
                    }
                }
            }
            start = end + 1;
        }
        if (total < 0) {
            throw new IllegalArgumentException("/proc/meminfo has no MemTotal");
        }
        return new MemoryBytes(total, available >= 0 ? available : estimate);
    }

    /** The number in {@code "      24684092 kB"} (text from {@code from} to {@code to}), times 1024. */
    private static long kibibytesToBytes(String text, int from, int to) {
        String value = text.substring(from, to).strip();
        int space = value.indexOf(' ');
        String number = space < 0 ? value : value.substring(0, space);
        try {
            return Long.parseLong(number) * 1024;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unexpected /proc/meminfo value '" + value + "'", e);
        }
    }

    /**
     * The entries of {@code /proc/self/mounts} (the fstab(5) format: source, mount point, type, options, two
     * numbers), with the octal escapes of spaces, tabs, newlines and backslashes decoded. Lines with fewer
     * than three fields are skipped.
     */
    static List<MountEntry> parseMounts(String mounts) {
        List<MountEntry> entries = new ArrayList<>();
        for (String line : mounts.split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length < 3) {
                continue;
            }
            entries.add(new MountEntry(unescape(fields[0]), unescape(fields[1]), unescape(fields[2])));
        }
        return entries;
    }

    /** Decodes the {@code \ooo} octal escapes the kernel writes for space, tab, newline and backslash. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder decoded = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1, 3)) {
                decoded.append((char) Integer.parseInt(field, i + 1, i + 4, 8));
                i += 3;
            } else {
                decoded.append(c);
            }
        }
        return decoded.toString();
    }

    private static boolean isOctal(String text, int from, int length) {
        if (from + length > text.length()) {
            return false;
        }
        for (int i = from; i < from + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
