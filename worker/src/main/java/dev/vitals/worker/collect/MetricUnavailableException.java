package dev.vitals.worker.collect;

/** A metric this machine cannot provide (for example load averages on Windows); the message says why. */
public class MetricUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MetricUnavailableException(String reason) {
        super(reason);
    }
}
