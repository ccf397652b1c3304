package dev.vitals.api.worker;

import java.util.List;
import java.util.Optional;

/** The workers the API knows of: the fleet a task for target {@code all} is sent to. */
public interface WorkerDirectory {

    /** Workers seen recently, alive or not, by worker id. */
    List<WorkerInfo> workers();

    /** One worker, alive or not, if it was ever heard from (and not yet forgotten). */
    Optional<WorkerInfo> find(String workerId);

    /** The ids of the workers alive now, sorted. */
    default List<String> aliveWorkerIds() {
        return workers().stream().filter(WorkerInfo::alive).map(WorkerInfo::workerId).sorted().toList();
    }
}
