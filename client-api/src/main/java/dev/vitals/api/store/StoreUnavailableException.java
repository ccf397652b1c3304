package dev.vitals.api.store;

/**
 * The task store could not do what it was asked: the database is unreachable, timed out or refused
 * the statement. The message names the operation; the cause is the driver's exception. The HTTP layer
 * answers {@code 503} for it.
 */
public class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
