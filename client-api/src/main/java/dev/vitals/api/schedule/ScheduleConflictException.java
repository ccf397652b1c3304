package dev.vitals.api.schedule;

import org.jspecify.annotations.Nullable;

/** A change the schedules as they are do not allow: a name already taken, or a schedule the configuration owns. */
public final class ScheduleConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final @Nullable String field;

    /** @param field the request field the conflict is about, if one is */
    public ScheduleConflictException(String message, @Nullable String field) {
        super(message);
        this.field = field;
    }

    public @Nullable String field() {
        return field;
    }
}
