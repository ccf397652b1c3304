package dev.vitals.api.schedule;

/** Where a schedule comes from, which decides who may change it. */
public enum ScheduleSource {
    /** Made through the HTTP API, which may replace and delete it. */
    API("api"),
    /**
     * Declared in {@code vitals.api.schedules}: created or updated at every replica's start, deleted when no longer
     * declared; the HTTP API may read it but not change it (the configuration would undo the change).
     */
    CONFIG("config");

    private final String id;

    ScheduleSource(String id) {
        this.id = id;
    }

    /** As in JSON and in the store. */
    public String id() {
        return id;
    }

    public static ScheduleSource of(String id) {
        for (ScheduleSource source : values()) {
            if (source.id.equals(id)) {
                return source;
            }
        }
        throw new IllegalArgumentException("unknown schedule source '" + id + "'");
    }
}
