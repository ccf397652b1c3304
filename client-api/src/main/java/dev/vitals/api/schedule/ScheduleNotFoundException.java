package dev.vitals.api.schedule;

/** No schedule has this name. */
public final class ScheduleNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ScheduleNotFoundException(String name) {
        super("no schedule '" + name + "'; GET /api/v1/schedules lists them");
    }
}
