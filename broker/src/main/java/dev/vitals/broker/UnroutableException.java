package dev.vitals.broker;

/** A mandatory message reached no queue: for example the queue of a worker that has gone away. */
public class UnroutableException extends PublishRefusedException {

    private static final long serialVersionUID = 1L;

    public UnroutableException(String message) {
        super(message);
    }
}
