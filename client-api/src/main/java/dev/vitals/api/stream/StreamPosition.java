package dev.vitals.api.stream;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a reader of the stream is, in the store's terms, so that any API replica can go on from it: the ids of
 * the stream's events ({@code Last-Event-ID} on a reconnect).
 *
 * @param tasks       ended tasks are read from this time of their end on (inclusive)
 * @param transitions transitions are read after this number
 * @param alerts      alerts are read from this time of their opening or resolution on (inclusive)
 */
public record StreamPosition(Instant tasks, long transitions, Instant alerts) {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,15})-(\\d{1,18})-(\\d{1,15})");

    /** As an event id: three numbers, {@code <tasks ms>-<transition>-<alerts ms>}. */
    public String id() {
        return tasks.toEpochMilli() + "-" + transitions + "-" + alerts.toEpochMilli();
    }

    /** The position an event id names; empty when it is not one. */
    public static Optional<StreamPosition> parse(String id) {
        Matcher matcher = FORMAT.matcher(id.strip());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new StreamPosition(Instant.ofEpochMilli(Long.parseLong(matcher.group(1))),
                Long.parseLong(matcher.group(2)), Instant.ofEpochMilli(Long.parseLong(matcher.group(3)))));
    }

    /** The later of each of the three. */
    StreamPosition max(StreamPosition other) {
        return new StreamPosition(later(tasks, other.tasks), Math.max(transitions, other.transitions),
                later(alerts, other.alerts));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
