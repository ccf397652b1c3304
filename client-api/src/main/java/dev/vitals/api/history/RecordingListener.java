package dev.vitals.api.history;

import dev.vitals.api.state.Transition;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Told of what one pass of the {@link HistoryRecorder} recorded, inside its transaction: what it writes
 * there commits or rolls back with the runs and transitions (alerts are opened this way, exactly once).
 */
@FunctionalInterface
public interface RecordingListener {

    RecordingListener NONE = (tx, runs, transitions) -> { };

    /**
     * @param runs        the runs the pass recorded
     * @param transitions the changes of state they made, in the order they were made
     */
    void recorded(Connection tx, List<Run> runs, List<Transition> transitions) throws SQLException;
}
