package dev.vitals.model.task;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.vitals.model.ValidationException;
import java.util.regex.Pattern;

/**
 * Which workers run a task: {@code any} (one worker, whichever takes it), {@code all} (every live
 * worker) or one worker by its id.
 */
public record Target(String value) {

    /** The longest worker id, in characters; the store's columns hold ids up to this length. */
    public static final int MAX_WORKER_ID_LENGTH = 128;

    /** A worker id: letters, digits, {@code . _ : -}, starting with a letter or digit. */
    private static final Pattern WORKER_ID =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0," + (MAX_WORKER_ID_LENGTH - 1) + "}");

    public static final Target ANY = new Target("any");
    public static final Target ALL = new Target("all");

    public Target {
        if (!isWorkerId(value)) {
            throw new ValidationException("target", "must be 'any', 'all' or a worker id (letters, digits, "
                    + "'.', '_', ':' or '-', at most " + MAX_WORKER_ID_LENGTH + " characters), got '" + abbreviate(value) + "'");
        }
    }

    @JsonCreator
    public static Target of(String value) {
        return switch (value) {
            case "any" -> ANY;
            case "all" -> ALL;
            default -> new Target(value);
        };
    }

    /** True when {@code id} has the form of a worker id. */
    public static boolean isWorkerId(String id) {
        return id != null && WORKER_ID.matcher(id).matches();
    }

    public boolean isAny() {
        return value.equals(ANY.value);
    }

    public boolean isAll() {
        return value.equals(ALL.value);
    }

    /** True when the task is meant for one named worker. */
    public boolean isWorker() {
        return !isAny() && !isAll();
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "null";
        }
        return value.length() > 64 ? value.substring(0, 64) + "…" : value;
    }
}
