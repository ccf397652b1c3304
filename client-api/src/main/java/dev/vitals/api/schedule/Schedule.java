package dev.vitals.api.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitals.model.CheckName;
import dev.vitals.model.ValidationException;
import dev.vitals.model.task.TaskRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a schedule runs and how often, valid by construction of {@link ScheduleRequest#toSchedule}.
 *
 * @param name     {@code [a-z0-9][a-z0-9_.-]{0,63}}: the key of the schedule and the {@code schedule} of its tasks
 * @param request  what each run asks for: target, checks and thresholds (no timeout: the default applies)
 * @param interval the time between two runs, whole seconds
 * @param enabled  a disabled schedule keeps its definition and runs nothing
 */
public record Schedule(String name, TaskRequest request, Duration interval, boolean enabled) {

    /** The longest interval. */
    public static final Duration MAX_INTERVAL = Duration.ofDays(1);

    static final String NAME_RULE = "a lowercase letter or digit, then up to 63 lowercase letters, digits, '_', '.'"
            + " or '-'";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    public Schedule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(interval, "interval");
    }

    /** Whether {@code name} is a schedule's name. */
    public static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** @throws ValidationException on field {@code name} when it is not a schedule's name */
    public static String requireName(String name) {
        if (!isName(name)) {
            throw new ValidationException("name", "must be " + NAME_RULE + ", got '" + abbreviate(name) + "'");
        }
        return name;
    }

    /**
     * When the run after one claimed for {@code claimed} is due: one interval later, so that runs do not drift
     * by however late each one starts; but when that is not after {@code now} (the claimed run was more than an
     * interval late: every replica was down, or the store away), one interval from now, so that missed runs are
     * not made up in a burst.
     */
    public static Instant nextRun(Instant claimed, Duration interval, Instant now) {
        Instant next = claimed.plus(interval);
        return next.isAfter(now) ? next : now.plus(interval);
    }

    /** The payload of the tasks a run creates: {@code target}, and {@code checks} and {@code thresholds} when set. */
    public String taskRequestJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode();
        json.put("target", request.targetOrAny().value());
        if (request.checks() != null) {
            request.checks().forEach(check -> json.withArray("checks").add(check.id()));
        }
        if (request.thresholds() != null) {
            ObjectNode thresholds = json.putObject("thresholds");
            for (CheckName check : CheckName.values()) {
                var threshold = request.thresholds().get(check);
                if (threshold != null) {
                    thresholds.putObject(check.id()).put("warning", threshold.warning()).put("error", threshold.error());
                }
            }
        }
        return json.toString();
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "null";
        }
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
