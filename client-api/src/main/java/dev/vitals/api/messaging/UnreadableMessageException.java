package dev.vitals.api.messaging;

/** A message that cannot be understood (not JSON, no task id, …): it is logged and dropped, never retried. */
class UnreadableMessageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    UnreadableMessageException(String message) {
        super(message);
    }

    UnreadableMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
