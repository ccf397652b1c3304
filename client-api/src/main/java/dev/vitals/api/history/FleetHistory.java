package dev.vitals.api.history;

import static dev.vitals.api.history.JdbcHistoryStore.OVERALL;
import static dev.vitals.api.history.JdbcHistoryStore.getDouble;
import static dev.vitals.api.store.StoreSql.instant;
import static dev.vitals.api.store.StoreSql.setInstant;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vitals.api.store.StoreSql;
import dev.vitals.model.CheckName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The history of many workers at once, as the fleet page shows it: each worker's last run with its checks' values and
 * thresholds, its uptime over 24 hours, 30 and 90 days, and its last {@value #DAYS} days one by one. A handful of
 * statements for the whole fleet, not a few per worker. The uptime windows count as {@link HistoryStore#uptime}
 * does, so the figures agree with {@code GET /api/v1/workers/{id}/uptime}.
 */
public final class FleetHistory {

    /** The days of the strip, the current one included. */
    public static final int DAYS = 90;
    /** The windows of {@link Overview#uptime}, by their names. */
    static final List<String> WINDOWS = List.of("24h", "30d", "90d");

    private final DataSource dataSource;
    private final Clock clock;

    public FleetHistory(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /**
     * A worker's history at a glance.
     *
     * @param lastRun the latest report recorded of it; null before the first
     * @param uptime  by window: {@code 24h}, {@code 30d}, {@code 90d}
     * @param days    its last {@value #DAYS} UTC days, today last
     */
    public record Overview(@JsonInclude(JsonInclude.Include.ALWAYS) @Nullable LastRun lastRun,
                           Map<String, Uptime> uptime, Days days) {
    }

    /**
     * A run as the fleet shows it.
     *
     * @param status the report's overall status; null when the worker did not report
     * @param checks the checks the report had, by name
     */
    public record LastRun(Instant at, UUID taskId, @Nullable String status, Map<String, Point> checks) {
    }

    /**
     * Scheduled runs and failures of consecutive UTC days, as two lists of numbers rather than an object a day: a
     * fleet of hundreds of workers has tens of thousands of days.
     *
     * @param first    the first day, {@value #DAYS} days before the last (today)
     * @param runs     each day's runs, {@code first} first
     * @param failures each day's failed runs
     */
    public record Days(LocalDate first, long[] runs, long[] failures) {
    }

    /** The overview of each of these workers, by id, in their order. */
    public Map<String, Overview> overview(Collection<String> workerIds) {
        if (workerIds.isEmpty()) {
            return Map.of();
        }
        Instant now = clock.instant();
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        LocalDate first = LocalDate.ofInstant(today.minus(DAYS - 1, ChronoUnit.DAYS), ZoneOffset.UTC);
        Set<String> wanted = new HashSet<>(workerIds);
        return StoreSql.run(dataSource, "read the fleet's history", connection -> {
            Map<String, long[]> hours = lastDay(connection, now, wanted);
            Map<String, Map<Instant, long[]>> days = days(connection, today, wanted);
            Map<String, Overview> overview = new LinkedHashMap<>();
            try (PreparedStatement last = connection.prepareStatement("SELECT run_at, task_id, status, "
                    + String.join(", ", columns()) + " FROM history_runs WHERE worker_id = ?"
                    + " ORDER BY run_at DESC LIMIT 1")) {
                for (String workerId : workerIds) {
                    last.setString(1, workerId);
                    LastRun lastRun = lastRun(last);
                    long[] lastDay = hours.getOrDefault(workerId, new long[2]);
                    Map<Instant, long[]> byDay = days.getOrDefault(workerId, Map.of());
                    long[] runs = new long[DAYS];
                    long[] failures = new long[DAYS];
                    long[] month = new long[2];
                    long[] quarter = new long[2];
                    for (int i = DAYS - 1; i >= 0; i--) {
                        long[] counts = byDay.getOrDefault(today.minus(i, ChronoUnit.DAYS), new long[2]);
                        runs[DAYS - 1 - i] = counts[0];
                        failures[DAYS - 1 - i] = counts[1];
                        add(quarter, counts);
                        if (i < 30) {
                            add(month, counts);
                        }
                    }
                    Map<String, Uptime> uptime = new LinkedHashMap<>();
                    uptime.put(WINDOWS.get(0), Uptime.of(lastDay[0], lastDay[1]));
                    uptime.put(WINDOWS.get(1), Uptime.of(month[0], month[1]));
                    uptime.put(WINDOWS.get(2), Uptime.of(quarter[0], quarter[1]));
                    overview.put(workerId, new Overview(lastRun, uptime, new Days(first, runs, failures)));
                }
            }
            return overview;
        });
    }

    /** Runs and failures in the hourly buckets that start after {@code now - 24h}, up to the current hour. */
    private static Map<String, long[]> lastDay(Connection connection, Instant now, Set<String> wanted) throws SQLException {
        Map<String, long[]> sums = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT worker_id, SUM(runs), SUM(failures)"
                + " FROM history_buckets WHERE check_name = '" + OVERALL + "' AND bucket_start > ? AND bucket_start <= ?"
                + " GROUP BY worker_id")) {
            setInstant(select, 1, now.minus(Duration.ofHours(24)));
            setInstant(select, 2, now.truncatedTo(ChronoUnit.HOURS));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (wanted.contains(rows.getString(1))) {
                        sums.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3)});
                    }
                }
            }
        }
        return sums;
    }

    /** Runs and failures of each of the last {@value #DAYS} days, by worker and day. */
    private static Map<String, Map<Instant, long[]>> days(Connection connection, Instant today, Set<String> wanted)
            throws SQLException {
        Map<String, Map<Instant, long[]>> days = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT worker_id, bucket_start, runs, failures"
                + " FROM history_days WHERE check_name = '" + OVERALL + "' AND bucket_start > ? AND bucket_start <= ?")) {
            setInstant(select, 1, today.minus(DAYS, ChronoUnit.DAYS));
            setInstant(select, 2, today);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    if (wanted.contains(rows.getString(1))) {
                        days.computeIfAbsent(rows.getString(1), k -> new HashMap<>()).put(
                                Objects.requireNonNull(instant(rows, "bucket_start")),
                                new long[] {rows.getLong(3), rows.getLong(4)});
                    }
                }
            }
        }
        return days;
    }

    private static @Nullable LastRun lastRun(PreparedStatement last) throws SQLException {
        try (ResultSet rows = last.executeQuery()) {
            if (!rows.next()) {
                return null;
            }
            Map<String, Point> checks = new LinkedHashMap<>();
            Instant at = Objects.requireNonNull(instant(rows, "run_at"));
            int column = 4;
            for (CheckName check : CheckName.values()) {
                short code = rows.getShort(column);
                if (!rows.wasNull()) {
                    checks.put(check.id(), new Point(at, JdbcHistoryStore.status(code).id(), getDouble(rows, column + 1),
                            getDouble(rows, column + 2), getDouble(rows, column + 3)));
                }
                column += 4;
            }
            return new LastRun(at, rows.getObject(2, UUID.class), rows.getString(3), checks);
        }
    }

    private static List<String> columns() {
        List<String> columns = new ArrayList<>();
        for (CheckName check : CheckName.values()) {
            columns.add(check.id() + "_status, " + check.id() + "_value, " + check.id() + "_warning, " + check.id() + "_error");
        }
        return columns;
    }

    private static void add(long[] sum, long[] counts) {
        sum[0] += counts[0];
        sum[1] += counts[1];
    }
}
