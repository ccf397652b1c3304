package dev.vitals.model.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a task is in its life. {@link #COMPLETED}, {@link #FAILED} and {@link #EXPIRED} are terminal. */
public enum TaskStatus {
    /** Stored and on the queue; no worker has taken it yet. */
    QUEUED,
    /** A worker took it and is measuring. */
    RUNNING,
    /** Its report(s) arrived, whatever health they show. */
    COMPLETED,
    /** The check itself could not be carried out; the task's {@code error} says why. */
    FAILED,
    /** No worker took it before its timeout. */
    EXPIRED;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == EXPIRED;
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static TaskStatus of(String id) {
        for (TaskStatus status : values()) {
            if (status.id().equals(id)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown task status '" + id
                + "'; known are queued, running, completed, failed, expired");
    }
}
