package dev.vitals.api.stream;

import dev.vitals.api.alert.AlertStore;
import dev.vitals.api.state.JdbcStateStore;
import java.time.Instant;
import java.util.List;

/** What the stream reads, from the store every API replica shares. */
public interface StreamSources {

    /** Tasks that ended at or after {@code from}, by the time they ended (oldest first), at most {@code limit}. */
    List<TaskEnd> tasksEndedSince(Instant from, int limit);

    /** Transitions recorded after the one numbered {@code id}, in that order, at most {@code limit}. */
    List<JdbcStateStore.Numbered> transitionsAfter(long id, int limit);

    /** The number of the last transition recorded; 0 when none was. */
    long lastTransitionId();

    /** Alerts opened or resolved at or after {@code from} by the store's clock, in that order, at most {@code limit}. */
    List<AlertStore.Change> alertsChangedSince(Instant from, int limit);
}
