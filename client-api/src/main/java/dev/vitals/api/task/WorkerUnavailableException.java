package dev.vitals.api.task;

/** A task targets a worker that is unknown, not alive, or whose queue is gone; answered 404. */
public class WorkerUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WorkerUnavailableException(String message) {
        super(message);
    }
}
