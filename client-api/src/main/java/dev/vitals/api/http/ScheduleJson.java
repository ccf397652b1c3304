package dev.vitals.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.schedule.Schedule;
import dev.vitals.api.schedule.StoredSchedule;
import dev.vitals.model.CheckName;
import dev.vitals.model.Threshold;
import dev.vitals.model.task.TaskRequest;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schedule JSON, the one place it is written: the fields of the request ({@code name}, {@code target},
 * {@code checks} and {@code thresholds}, null when not set, {@code interval_seconds}, {@code enabled}), then
 * {@code source}, {@code next_run_at}, {@code last_run_at}, {@code last_task_id}, {@code created_at},
 * {@code updated_at}.
 */
final class ScheduleJson {

    private final ObjectMapper mapper;

    ScheduleJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    byte[] schedule(StoredSchedule schedule) {
        return write(fields(schedule));
    }

    /** {@code {"schedules": [...]}}. */
    byte[] schedules(List<StoredSchedule> schedules) {
        return write(Map.of("schedules", schedules.stream().map(ScheduleJson::fields).toList()));
    }

    private static Map<String, Object> fields(StoredSchedule stored) {
        Schedule schedule = stored.schedule();
        TaskRequest request = schedule.request();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", schedule.name());
        json.put("target", request.targetOrAny().value());
        json.put("checks", request.checks() == null ? null : request.checks().stream().map(CheckName::id).toList());
        json.put("thresholds", request.thresholds() == null ? null : thresholds(request.thresholds()));
        json.put("interval_seconds", schedule.interval().toSeconds());
        json.put("enabled", schedule.enabled());
        json.put("source", stored.source().id());
        json.put("next_run_at", stored.nextRunAt());
        json.put("last_run_at", stored.lastRunAt());
        json.put("last_task_id", stored.lastTaskId() == null ? null : stored.lastTaskId().toString());
        json.put("created_at", stored.createdAt());
        json.put("updated_at", stored.updatedAt());
        return json;
    }

    private static Map<String, Object> thresholds(Map<CheckName, Threshold> thresholds) {
        Map<String, Object> json = new LinkedHashMap<>();
        for (CheckName check : CheckName.values()) {
            Threshold threshold = thresholds.get(check);
            if (threshold != null) {
                json.put(check.id(), Map.of("warning", threshold.warning(), "error", threshold.error()));
            }
        }
        return json;
    }

    private byte[] write(Object json) {
        try {
            return mapper.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
