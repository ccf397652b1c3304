package dev.vitals.api.state;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Where workers' states and their transitions are kept. */
public interface StateStore {

    /** The states of these workers; a worker without any scheduled run is absent. */
    Map<String, WorkerState> states(Collection<String> workerIds);

    /** Every worker's own state (without its checks'), for the metrics. */
    Map<String, WorkerStatus> statuses();

    /** A worker's transitions, newest first, at most {@code limit}. */
    List<Transition> transitions(String workerId, int limit);
}
