package dev.vitals.api.idempotency;

/** An {@code Idempotency-Key} used again with another request body than the first time; the HTTP layer answers 422. */
public final class IdempotencyKeyReusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public IdempotencyKeyReusedException(String message) {
        super(message);
    }
}
