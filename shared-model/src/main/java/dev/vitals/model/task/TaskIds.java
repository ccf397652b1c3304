package dev.vitals.model.task;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Task ids as the contract writes them: UUIDs in canonical form, 36 characters (lower case when Vitals
 * writes them; upper-case hex digits are read too). {@link UUID#fromString} alone would also take forms
 * such as {@code 1-1-1-1-1}.
 */
public final class TaskIds {

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private TaskIds() {
    }

    /** The id written in {@code text}, or empty when it is not a canonical UUID. */
    public static Optional<UUID> parse(@Nullable String text) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text));
    }
}
