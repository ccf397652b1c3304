package dev.vitals.broker;

/** The broker did not take a message: it refused it, or the channel failed before it confirmed. */
public class PublishRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PublishRefusedException(String message) {
        super(message);
    }

    public PublishRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
