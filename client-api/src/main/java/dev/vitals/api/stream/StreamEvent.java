package dev.vitals.api.stream;

import dev.vitals.api.alert.StoredAlert;
import dev.vitals.api.state.Transition;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One event of the stream: what happened ({@link #data}, or a {@link Kind#SNAPSHOT} without data) and the position
 * a reader that saw it can go on from.
 */
public record StreamEvent(Kind kind, StreamPosition position, @Nullable Object data) {

    /** The kinds of event, by the name the stream gives them. */
    public enum Kind {
        /** A task ended: {@link TaskEnd}. */
        TASK("task"),
        /** A worker's state, or one check's, changed: {@link Transition}. */
        STATE("state"),
        /** An alert opened or was resolved: {@link StoredAlert}. */
        ALERT("alert"),
        /**
         * Read everything afresh: sent first to a reader without a position (or one the stream cannot go on from),
         * and when more happened at once than the stream sends one by one.
         */
        SNAPSHOT("snapshot"),
        /** Nothing happened; the position moved on (also keeps idle connections open). */
        HEARTBEAT("heartbeat");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** When it happened; {@link Instant#MIN} for a snapshot or heartbeat. */
    Instant at() {
        return switch (data) {
            case TaskEnd task -> task.completedAt();
            case Transition transition -> transition.at();
            case StoredAlert alert -> alert.resolvedAt() != null ? alert.resolvedAt() : alert.openedAt();
            case null, default -> Instant.MIN;
        };
    }

    static StreamEvent task(StreamPosition position, TaskEnd task) {
        return new StreamEvent(Kind.TASK, position, task);
    }

    static StreamEvent state(StreamPosition position, Transition transition) {
        return new StreamEvent(Kind.STATE, position, transition);
    }

    static StreamEvent alert(StreamPosition position, StoredAlert alert) {
        return new StreamEvent(Kind.ALERT, position, alert);
    }

    static StreamEvent snapshot(StreamPosition position, String reason) {
        return new StreamEvent(Kind.SNAPSHOT, position, reason);
    }

    static StreamEvent heartbeat(StreamPosition position) {
        return new StreamEvent(Kind.HEARTBEAT, position, null);
    }
}
