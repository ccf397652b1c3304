package dev.vitals.api.worker;

/** No worker by that id was heard from (or it was forgotten), and none has a history. */
public final class WorkerNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WorkerNotFoundException(String workerId) {
        super("no worker '" + (workerId.length() > 128 ? workerId.substring(0, 128) + "…" : workerId) + "' is known");
    }
}
