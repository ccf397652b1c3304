package dev.vitals.worker.collect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The limits and counters of this process's own cgroup: its memory limit and what the kernel counts against it,
 * its CPU quota, CPU time and throttling. Both cgroup versions are read: v2 (the unified hierarchy, {@code 0::/path}
 * in {@code /proc/self/cgroup}) and v1 (a hierarchy per controller: {@code memory}, {@code cpu}, {@code cpuacct}),
 * including hybrid machines that mount both and keep the controllers on v1.
 *
 * <p>A limit set on an ancestor binds too (a systemd slice, a Kubernetes pod), so each read walks from the
 * process's cgroup up to the root of its mount and uses the cgroup with the tightest limit, with that cgroup's
 * usage. OSHI (6.12) has no cgroup API, hence these files.
 *
 * <p>The instance methods only read; the static {@code parse…} functions turn the text into numbers and are pure.
 */
public final class CgroupFs {

    /** v1 writes "no limit" as the largest page-aligned long; anything this large is no limit. */
    static final long NO_LIMIT_FROM = 1L << 62;

    private final @Nullable Hierarchy memory;
    private final @Nullable Hierarchy cpu;
    private final @Nullable Hierarchy cpuacct;

    /** Where one controller's files are for this process: a cgroup directory and the mount it lies under. */
    record Hierarchy(boolean v2, Path mountPoint, Path cgroup) {

        /** The cgroup and its ancestors up to the mount's root, nearest first. */
        List<Path> chain() {
            List<Path> chain = new ArrayList<>();
            for (Path dir = cgroup; dir != null && dir.startsWith(mountPoint); dir = dir.getParent()) {
                chain.add(dir);
            }
            return chain;
        }

        /** The cgroup's path as {@code /proc/self/cgroup} would name it. */
        String name(Path dir) {
            String relative = mountPoint.relativize(dir).toString();
            return "/" + relative;
        }
    }

    /** One line of {@code /proc/self/cgroup}: {@code 4:memory:/docker/abc} or {@code 0::/system.slice/x.service}. */
    record Membership(int hierarchyId, Set<String> controllers, String path) {
    }

    /**
     * One cgroup mount of {@code /proc/self/mountinfo}.
     *
     * @param root       the cgroup the mount shows at its mount point ({@code /} unless a container bind-mounts a
     *                   part of the host's tree)
     * @param options    the super options of a v1 mount, which name its controllers; empty for v2
     */
    record Mount(String root, String mountPoint, boolean v2, Set<String> options) {
    }

    /**
     * The memory limit that binds this process, and what the kernel counts against it.
     *
     * @param limitBytes the tightest limit on the way to the root
     * @param usedBytes  usage of the cgroup holding that limit, less its inactive file cache (what the kernel
     *                   reclaims before it kills for memory): v2 {@code memory.current − inactive_file}, v1
     *                   {@code memory.usage_in_bytes − total_inactive_file}
     * @param cgroup     the cgroup holding the limit, as {@code /proc/self/cgroup} names paths
     * @param version    1 or 2
     */
    public record Memory(long limitBytes, long usedBytes, String cgroup, int version) {
    }

    /**
     * The CPU quota that binds this process and the counters of the cgroup holding it, read at one moment.
     *
     * @param effectiveCpus    quota ÷ period: 0.5 is half a core's time per period
     * @param usageNanos       CPU time the cgroup's tasks used since it was made, in nanoseconds
     * @param periods          enforcement periods that elapsed with runnable tasks
     * @param throttledPeriods of those, the periods in which the cgroup ran out of quota
     * @param throttledNanos   time its tasks spent throttled, in nanoseconds
     * @param cgroup           the cgroup holding the quota
     * @param version          1 or 2
     */
    public record Cpu(double effectiveCpus, long usageNanos, long periods, long throttledPeriods, long throttledNanos,
               String cgroup, int version) {
    }

    CgroupFs(@Nullable Hierarchy memory, @Nullable Hierarchy cpu, @Nullable Hierarchy cpuacct) {
        this.memory = memory;
        this.cpu = cpu;
        this.cpuacct = cpuacct;
    }

    /** This process's cgroups, from {@code /proc/self}; empty where there are none to read (not Linux). */
    public static Optional<CgroupFs> ofThisProcess() {
        return detect(Path.of("/proc/self"), Path.of("/"));
    }

    /**
     * Finds this process's cgroups from {@code cgroup} and {@code mountinfo} in {@code procSelf}; mount points are
     * taken under {@code fsRoot} ({@code /} on a real machine, a directory of sample files in tests).
     *
     * @param procSelf the process's {@code /proc/self}
     * @return empty when the files are not there (not Linux) or name no cgroup mount
     */
    static Optional<CgroupFs> detect(Path procSelf, Path fsRoot) {
        Path cgroupFile = procSelf.resolve("cgroup");
        Path mountInfo = procSelf.resolve("mountinfo");
        if (!Files.isReadable(cgroupFile) || !Files.isReadable(mountInfo)) {
            return Optional.empty();
        }
        List<Membership> memberships = parseMemberships(read(cgroupFile));
        List<Mount> mounts = parseMountInfo(read(mountInfo));
        Hierarchy memory = locate("memory", "memory.max", memberships, mounts, fsRoot);
        Hierarchy cpu = locate("cpu", "cpu.max", memberships, mounts, fsRoot);
        Hierarchy cpuacct = cpu != null && cpu.v2() ? cpu : locate("cpuacct", "cpu.stat", memberships, mounts, fsRoot);
        if (memory == null && cpu == null) {
            return Optional.empty();
        }
        return Optional.of(new CgroupFs(memory, cpu, cpuacct));
    }

    /**
     * The directory of {@code controller} for this process: on v1 when a v1 hierarchy carries it, else on v2 when
     * the unified hierarchy has the controller's files ({@code v2File}) at the process's cgroup or an ancestor.
     */
    private static @Nullable Hierarchy locate(String controller, String v2File, List<Membership> memberships,
                                              List<Mount> mounts, Path fsRoot) {
        for (Membership membership : memberships) {
            if (membership.hierarchyId() == 0 || !membership.controllers().contains(controller)) {
                continue;
            }
            for (Mount mount : mounts) {
                if (!mount.v2() && mount.options().contains(controller)) {
                    return hierarchy(false, mount, membership.path(), fsRoot);
                }
            }
        }
        for (Membership membership : memberships) {
            if (membership.hierarchyId() != 0) {
                continue;
            }
            for (Mount mount : mounts) {
                if (mount.v2()) {
                    Hierarchy unified = hierarchy(true, mount, membership.path(), fsRoot);
                    boolean hasController = unified.chain().stream().anyMatch(dir -> Files.exists(dir.resolve(v2File)));
                    return hasController ? unified : null;
                }
            }
        }
        return null;
    }

    /** Where {@code cgroupPath} lies under {@code mount}, as the kernel and the JDK resolve it. */
    static Hierarchy hierarchy(boolean v2, Mount mount, String cgroupPath, Path fsRoot) {
        Path mountPoint = fsRoot.resolve(mount.mountPoint().substring(1));
        String relative;
        if (mount.root().equals("/")) {
            relative = cgroupPath;
        } else if (cgroupPath.equals(mount.root()) || cgroupPath.startsWith(mount.root() + "/")) {
            relative = cgroupPath.substring(mount.root().length());
        } else {
            relative = ""; // a cgroup namespace or a bind mount shows the process's cgroup at the mount point
        }
        Path cgroup = relative.isEmpty() || relative.equals("/") ? mountPoint : mountPoint.resolve(relative.substring(1));
        return new Hierarchy(v2, mountPoint, cgroup.normalize());
    }

    /** The memory limit that binds this process, with its usage; empty when no cgroup on the way sets one. */
    public Optional<Memory> memory() {
        if (memory == null) {
            return Optional.empty();
        }
        Path tightest = null;
        long limit = Long.MAX_VALUE;
        for (Path dir : memory.chain()) {
            Path file = dir.resolve(memory.v2() ? "memory.max" : "memory.limit_in_bytes");
            if (Files.exists(file)) {
                OptionalLong parsed = parseLimit(read(file));
                if (parsed.isPresent() && parsed.getAsLong() < limit) {
                    limit = parsed.getAsLong();
                    tightest = dir;
                }
            }
        }
        if (tightest == null) {
            return Optional.empty();
        }
        Map<String, Long> stat = parseKeyValues(read(tightest.resolve("memory.stat")));
        long usage = parseLong(read(tightest.resolve(memory.v2() ? "memory.current" : "memory.usage_in_bytes")));
        long inactiveFile = memory.v2() ? stat.getOrDefault("inactive_file", 0L)
                : stat.getOrDefault("total_inactive_file", stat.getOrDefault("inactive_file", 0L));
        return Optional.of(new Memory(limit, Math.max(0, usage - inactiveFile), memory.name(tightest),
                memory.v2() ? 2 : 1));
    }

    /** The CPU quota that binds this process, with its cgroup's counters; empty when no cgroup on the way sets one. */
    public Optional<Cpu> cpu() {
        if (cpu == null) {
            return Optional.empty();
        }
        Path tightest = null;
        double effective = Double.MAX_VALUE;
        for (Path dir : cpu.chain()) {
            Optional<Double> quota = cpu.v2()
                    ? (Files.exists(dir.resolve("cpu.max")) ? parseCpuMax(read(dir.resolve("cpu.max"))) : Optional.empty())
                    : (Files.exists(dir.resolve("cpu.cfs_quota_us"))
                            ? parseCfsQuota(read(dir.resolve("cpu.cfs_quota_us")), read(dir.resolve("cpu.cfs_period_us")))
                            : Optional.empty());
            if (quota.isPresent() && quota.get() < effective) {
                effective = quota.get();
                tightest = dir;
            }
        }
        if (tightest == null) {
            return Optional.empty();
        }
        Map<String, Long> stat = parseKeyValues(read(tightest.resolve("cpu.stat")));
        long usageNanos;
        long throttledNanos;
        if (cpu.v2()) {
            usageNanos = stat.getOrDefault("usage_usec", 0L) * 1000;
            throttledNanos = stat.getOrDefault("throttled_usec", 0L) * 1000;
        } else {
            usageNanos = parseLong(read(cpuacctOf(tightest).resolve("cpuacct.usage")));
            throttledNanos = stat.getOrDefault("throttled_time", 0L);
        }
        return Optional.of(new Cpu(effective, usageNanos, stat.getOrDefault("nr_periods", 0L),
                stat.getOrDefault("nr_throttled", 0L), throttledNanos, cpu.name(tightest), cpu.v2() ? 2 : 1));
    }

    /**
     * On v1 the CPU time is in the {@code cpuacct} hierarchy, often mounted with {@code cpu} ({@code cpu,cpuacct}),
     * sometimes apart: the same cgroup there when it exists, else the process's own.
     */
    private Path cpuacctOf(Path cpuDir) {
        if (cpuacct == null || cpu == null) {
            throw new IllegalStateException("no cpuacct hierarchy: this cgroup v1 machine does not count CPU time");
        }
        Path same = cpuacct.mountPoint().resolve(cpu.mountPoint().relativize(cpuDir).toString());
        return Files.exists(same.resolve("cpuacct.usage")) ? same : cpuacct.cgroup();
    }

    /** Lines of {@code /proc/self/cgroup}: {@code id:controller,controller:path}. */
    static List<Membership> parseMemberships(String text) {
        List<Membership> memberships = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(":", 3);
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a /proc/self/cgroup line (id:controllers:path): '" + line + "'");
            }
            Set<String> controllers = parts[1].isEmpty() ? Set.of() : Set.of(parts[1].split(","));
            memberships.add(new Membership(Integer.parseInt(parts[0]), controllers, parts[2].strip()));
        }
        return memberships;
    }

    /** The cgroup mounts of {@code /proc/self/mountinfo}; other mounts are left out. */
    static List<Mount> parseMountInfo(String text) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : text.split("\n")) {
            int separator = line.indexOf(" - ");
            if (separator < 0) {
                continue;
            }
            String[] before = line.substring(0, separator).split(" ");
            String[] after = line.substring(separator + 3).split(" ");
            if (before.length < 5 || after.length < 3) {
                throw new IllegalArgumentException("not a mountinfo line: '" + line + "'");
            }
            String type = after[0];
            if (type.equals("cgroup2")) {
                mounts.add(new Mount(unescape(before[3]), unescape(before[4]), true, Set.of()));
            } else if (type.equals("cgroup")) {
                mounts.add(new Mount(unescape(before[3]), unescape(before[4]), false, Set.of(after[2].split(","))));
            }
        }
        return mounts;
    }

    /** mountinfo writes a space in a path as {@code \040}. */
    private static String unescape(String field) {
        return field.replace("\\040", " ");
    }

    /** A memory limit: v2 {@code max} or v1's huge sentinel mean no limit. */
    static OptionalLong parseLimit(String text) {
        String value = text.strip();
        if (value.equals("max")) {
            return OptionalLong.empty();
        }
        long limit = parseLong(value);
        return limit >= NO_LIMIT_FROM ? OptionalLong.empty() : OptionalLong.of(limit);
    }

    /** v2 {@code cpu.max}: {@code "50000 100000"} is 0.5 CPU; {@code "max 100000"} is no quota. */
    static Optional<Double> parseCpuMax(String text) {
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("cpu.max must be '<quota|max> <period>', got '" + text.strip() + "'");
        }
        if (parts[0].equals("max")) {
            return Optional.empty();
        }
        return Optional.of(quotaOverPeriod(parseLong(parts[0]), parseLong(parts[1])));
    }

    /** v1 {@code cpu.cfs_quota_us} and {@code cpu.cfs_period_us}: a quota of -1 is no quota. */
    static Optional<Double> parseCfsQuota(String quotaText, String periodText) {
        long quota = parseLong(quotaText);
        return quota < 0 ? Optional.empty() : Optional.of(quotaOverPeriod(quota, parseLong(periodText)));
    }

    private static double quotaOverPeriod(long quota, long period) {
        if (quota <= 0 || period <= 0) {
            throw new IllegalArgumentException("a CPU quota and its period must be positive, got " + quota + " / " + period);
        }
        return (double) quota / period;
    }

    /** Files of {@code key value} lines, such as {@code memory.stat} and {@code cpu.stat}. */
    static Map<String, Long> parseKeyValues(String text) {
        Map<String, Long> values = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2) {
                try {
                    values.put(parts[0], Long.parseLong(parts[1]));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("not a number in '" + line.strip() + "'", e);
                }
            }
        }
        return values;
    }

    /** A file holding one integer. */
    static long parseLong(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer, got '" + text.strip() + "'", e);
        }
    }

    private static String read(Path path) {
        try {
            return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CgroupFs[memory=" + memory + ", cpu=" + cpu + ", cpuacct=" + cpuacct + "]";
    }
}
