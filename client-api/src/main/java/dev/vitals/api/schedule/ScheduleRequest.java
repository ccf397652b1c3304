package dev.vitals.api.schedule;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.model.CheckName;
import dev.vitals.model.Threshold;
import dev.vitals.model.ValidationException;
import dev.vitals.model.json.JsonErrors;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A schedule as a caller writes it: the body of {@code POST /api/v1/schedules} and {@code PUT
 * /api/v1/schedules/{name}}, and one entry of {@code vitals.api.schedules}. Unknown fields are refused (by the
 * mapper of {@link dev.vitals.model.json.VitalsJson}).
 *
 * @param name            the schedule's name; may be left out of a {@code PUT}, whose path names it
 * @param target          {@code any} (default), {@code all} or a worker id, as for a task
 * @param checks          the checks each run asks for; all when absent
 * @param thresholds      thresholds that replace the workers' for these runs
 * @param intervalSeconds how often it runs, in seconds; required
 * @param enabled         whether it runs; {@code true} when absent
 */
public record ScheduleRequest(
        @Nullable String name,
        @Nullable Target target,
        @Nullable List<CheckName> checks,
        @Nullable Map<CheckName, Threshold> thresholds,
        @Nullable Integer intervalSeconds,
        @Nullable Boolean enabled) {

    /**
     * Reads a request from JSON.
     *
     * @param root names the document in a refusal ({@code body}, or a configuration key)
     * @throws ValidationException naming the field that cannot be read
     */
    public static ScheduleRequest read(ObjectMapper mapper, byte[] json, String root) {
        try {
            ScheduleRequest request = mapper.readValue(json, ScheduleRequest.class);
            if (request == null) {
                throw new ValidationException(root, "must be a JSON object");
            }
            return request;
        } catch (JacksonException e) {
            throw JsonErrors.describe(e, root, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The schedule this request asks for, checked against every rule.
     *
     * @param pathName    the name in the request's path ({@code PUT}); null when the body must name it
     * @param minInterval the shortest interval allowed ({@code vitals.api.schedule.min-interval})
     * @throws ValidationException naming the first field that breaks a rule
     */
    public Schedule toSchedule(@Nullable String pathName, Duration minInterval) {
        String scheduleName = name;
        if (pathName != null) {
            if (name != null && !name.equals(pathName)) {
                throw new ValidationException("name", "must be the name in the path ('" + pathName
                        + "') or be left out, got '" + Schedule.abbreviate(name) + "'");
            }
            scheduleName = pathName;
        }
        if (scheduleName == null) {
            throw new ValidationException("name", "is required: " + Schedule.NAME_RULE);
        }
        Schedule.requireName(scheduleName);
        if (intervalSeconds == null) {
            throw new ValidationException("interval_seconds", "is required: how often the schedule runs, from "
                    + minInterval.toSeconds() + " to " + Schedule.MAX_INTERVAL.toSeconds() + " seconds");
        }
        long shortest = minInterval.toSeconds();
        if (intervalSeconds < shortest || intervalSeconds > Schedule.MAX_INTERVAL.toSeconds()) {
            throw new ValidationException("interval_seconds", "must be from " + shortest + " to "
                    + Schedule.MAX_INTERVAL.toSeconds() + " seconds (1 day), got " + intervalSeconds);
        }
        TaskRequest request = new TaskRequest(target == null ? Target.ANY : target, checks, thresholds, null).validate();
        return new Schedule(scheduleName, request, Duration.ofSeconds(intervalSeconds), enabled == null || enabled);
    }
}
