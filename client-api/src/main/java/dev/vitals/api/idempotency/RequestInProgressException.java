package dev.vitals.api.idempotency;

/**
 * A request with an {@code Idempotency-Key} whose first request is still being handled (its task is not yet stored
 * and confirmed by the broker); the HTTP layer answers 409 with {@code Retry-After}, as the draft says.
 */
public final class RequestInProgressException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RequestInProgressException(String message) {
        super(message);
    }
}
