package dev.vitals.api.worker;

import java.util.List;

/** The workers the API knows of: the fleet a task for target {@code all} is sent to. */
public interface WorkerDirectory {

    /** Workers seen recently, alive or not, by worker id. */
    List<WorkerInfo> workers();

    /** The ids of the workers alive now, sorted. */
    default List<String> aliveWorkerIds() {
        return workers().stream().filter(WorkerInfo::alive).map(WorkerInfo::workerId).sorted().toList();
    }
}
