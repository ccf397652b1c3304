package dev.vitals.api.history;

import org.jspecify.annotations.Nullable;

/**
 * A worker's scheduled runs over a window.
 *
 * @param uptime   the share of runs that did not fail, 0 to 1; null without runs
 * @param runs     scheduled runs that targeted the worker, missing reports included
 * @param failures runs whose report said {@code error}, or that had no report
 */
public record Uptime(@Nullable Double uptime, long runs, long failures) {

    static Uptime of(long runs, long failures) {
        return new Uptime(runs == 0 ? null : 1.0 - (double) failures / runs, runs, failures);
    }
}
