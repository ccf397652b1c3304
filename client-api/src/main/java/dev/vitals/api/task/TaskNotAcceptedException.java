package dev.vitals.api.task;

/**
 * A task could not be accepted now, though the request was valid: the broker is away or refused it
 * (queue full), or no worker is alive for target {@code all}. Nothing is left stored. The HTTP layer
 * answers {@code 503} with {@code Retry-After}; the message says why.
 */
public class TaskNotAcceptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TaskNotAcceptedException(String message) {
        super(message);
    }

    public TaskNotAcceptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
