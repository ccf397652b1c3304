package dev.vitals.api.history;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vitals.api.ApiConfig;
import dev.vitals.model.CheckName;
import dev.vitals.model.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /api/v1/workers/{id}/history} and {@code …/uptime} answer, from their query parameters as
 * given: validated here (a {@link ValidationException} naming the parameter), then read from the store.
 */
public final class WorkerHistory {

    /** The uptime windows, by the names the answer gives them. */
    public static final Map<String, Duration> UPTIME_WINDOWS = windows();
    /** The range a history covers when {@code from} is not given. */
    static final Duration DEFAULT_RANGE = Duration.ofHours(24);

    private final HistoryStore store;
    private final ApiConfig.History settings;
    private final Clock clock;

    public WorkerHistory(HistoryStore store, ApiConfig.History settings, Clock clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
    }

    /** Raw reports of a worker. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Points(String workerId, @Nullable String check, Instant from, Instant to, List<Point> points) {
    }

    /** Buckets of a worker's reports. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Buckets(String workerId, @Nullable String check, Instant from, Instant to, String step,
                          List<Bucket> buckets) {
    }

    /** A worker's uptime over each window. */
    public record Uptimes(String workerId, Map<String, Uptime> windows) {
    }

    /**
     * A worker's history: raw points without {@code step}, else buckets of an hour ({@code 1h}) or a day
     * ({@code 1d}, UTC).
     *
     * @param check null for the reports' overall status
     * @param from  ISO-8601 instant, inclusive; null for 24 hours before {@code to}
     * @param to    ISO-8601 instant, exclusive; null for now
     * @return {@link Points} or {@link Buckets}
     */
    public Object history(String workerId, @Nullable String check, @Nullable String from, @Nullable String to,
                          @Nullable String step) {
        CheckName name = check == null ? null : CheckName.find(check).orElseThrow(() -> new ValidationException(
                "check", "must be one of " + CheckName.knownNames() + ", got '" + shorten(check) + "'"));
        Instant end = to == null ? clock.instant() : instant("to", to);
        Instant start = from == null ? end.minus(DEFAULT_RANGE) : instant("from", from);
        if (!start.isBefore(end)) {
            throw new ValidationException("from", "must be before to (" + end + "), got " + start);
        }
        Duration range = Duration.between(start, end);
        if (step == null) {
            if (range.compareTo(settings.rawRetention()) > 0) {
                throw new ValidationException("from", "a history without step spans at most " + days(settings.rawRetention())
                        + " (vitals.api.history.raw-retention, how long reports are kept as they came), got "
                        + days(range) + ": ask for step=1h or step=1d");
            }
            List<Point> points = store.points(workerId, name, start, end, settings.maxPoints() + 1);
            if (points.size() > settings.maxPoints()) {
                throw new ValidationException("from", "the range holds more than " + settings.maxPoints()
                        + " points (vitals.api.history.max-points): narrow it, or ask for step=1h or step=1d");
            }
            return new Points(workerId, check, start, end, points);
        }
        ChronoUnit unit = switch (step) {
            case "1h" -> ChronoUnit.HOURS;
            case "1d" -> ChronoUnit.DAYS;
            default -> throw new ValidationException("step", "must be 1h or 1d, got '" + shorten(step) + "'");
        };
        if (range.compareTo(settings.bucketRetention()) > 0) {
            throw new ValidationException("from", "a history spans at most " + days(settings.bucketRetention())
                    + " (vitals.api.history.bucket-retention), got " + days(range));
        }
        Instant first = start.truncatedTo(unit);
        if (Duration.between(first, end).dividedBy(unit.getDuration()) >= settings.maxPoints()) {
            throw new ValidationException("from", "the range holds more than " + settings.maxPoints()
                    + " buckets of " + step + " (vitals.api.history.max-points): narrow it, or ask for step=1d");
        }
        return new Buckets(workerId, check, first, end, step, unit == ChronoUnit.HOURS
                ? store.hourly(workerId, name, first, end)
                : store.daily(workerId, name, first, end));
    }

    /** The worker's uptime over each of {@link #UPTIME_WINDOWS}, up to now. */
    public Uptimes uptime(String workerId) {
        List<Duration> windows = List.copyOf(UPTIME_WINDOWS.values());
        Map<Duration, Uptime> byWindow = store.uptime(workerId, clock.instant(), windows);
        Map<String, Uptime> named = new LinkedHashMap<>();
        UPTIME_WINDOWS.forEach((name, window) -> named.put(name, byWindow.get(window)));
        return new Uptimes(workerId, named);
    }

    /** Whether anything of the worker was recorded. */
    public boolean knows(String workerId) {
        return store.knows(workerId);
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ValidationException(field, "must be an ISO-8601 instant such as 2026-11-22T10:15:30Z, got '"
                    + shorten(value) + "'");
        }
    }

    private static String days(Duration duration) {
        return duration.toSeconds() % 86_400 == 0 ? duration.toDays() + "d"
                : duration.toSeconds() % 3600 == 0 ? duration.toHours() + "h" : duration.toString();
    }

    private static String shorten(String value) {
        return value.length() > 32 ? value.substring(0, 32) + "…" : value;
    }

    private static Map<String, Duration> windows() {
        Map<String, Duration> windows = new LinkedHashMap<>();
        windows.put("24h", Duration.ofHours(24));
        windows.put("7d", Duration.ofDays(7));
        windows.put("30d", Duration.ofDays(30));
        windows.put("90d", Duration.ofDays(90));
        windows.put("365d", Duration.ofDays(365));
        return java.util.Collections.unmodifiableMap(windows);
    }
}
