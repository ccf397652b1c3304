package dev.vitals.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.api.schedule.Schedule;
import dev.vitals.api.schedule.ScheduleNotFoundException;
import dev.vitals.api.schedule.ScheduleRequest;
import dev.vitals.api.schedule.ScheduleService;
import dev.vitals.api.schedule.StoredSchedule;
import dev.vitals.model.ValidationException;
import io.javalin.http.Context;

/** {@code /api/v1/schedules}: make, list, read, replace and delete schedules. */
final class ScheduleRoutes {

    static final String BASE = "/api/v1/schedules";

    private final ScheduleService schedules;
    private final ScheduleJson json;
    private final ObjectMapper mapper;
    private final long maxBodyBytes;

    ScheduleRoutes(ScheduleService schedules, ObjectMapper mapper, long maxBodyBytes) {
        this.schedules = schedules;
        this.json = new ScheduleJson(mapper);
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** {@code POST}: 201 with the schedule and its {@code Location}. */
    void create(Context ctx) {
        StoredSchedule created = schedules.create(request(ctx));
        ctx.header("Location", BASE + "/" + created.name());
        respond(ctx, 201, created);
    }

    /** {@code GET}: every schedule, by name. */
    void list(Context ctx) {
        ctx.status(200).contentType("application/json").result(json.schedules(schedules.list()));
    }

    /** {@code GET /{name}}. */
    void get(Context ctx) {
        String name = name(ctx);
        respond(ctx, 200, schedules.find(name).orElseThrow(() -> new ScheduleNotFoundException(name)));
    }

    /** {@code PUT /{name}}: replaces a schedule's definition; its runs so far are kept. */
    void replace(Context ctx) {
        String name = name(ctx);
        respond(ctx, 200, schedules.replace(name, request(ctx)));
    }

    /** {@code DELETE /{name}}: 204; the tasks its runs created stay. */
    void delete(Context ctx) {
        schedules.delete(name(ctx));
        ctx.status(204);
    }

    private ScheduleRequest request(Context ctx) {
        byte[] body = RequestBody.read(ctx, maxBodyBytes);
        if (RequestBody.isBlank(body)) {
            throw new ValidationException("body", "must be a schedule: {\"name\": …, \"interval_seconds\": …}");
        }
        RequestBody.requireJson(ctx);
        return ScheduleRequest.read(mapper, body, "body");
    }

    private static String name(Context ctx) {
        return Schedule.requireName(ctx.pathParam("name"));
    }

    private void respond(Context ctx, int status, StoredSchedule schedule) {
        ctx.status(status).contentType("application/json").result(json.schedule(schedule));
    }
}
