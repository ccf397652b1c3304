package dev.vitals.api.alert.channel;

/**
 * A notification did not reach its receiver. Its message is safe to store and show: it names the receiver's
 * answer or the network failure, never a token, password or secret.
 */
public final class DeliveryException extends Exception {

    private final boolean permanent;

    /**
     * @param permanent true when sending the same notification again cannot succeed (the receiver refused
     *                  it as malformed or unauthorized), so it is not retried
     */
    public DeliveryException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    /** True when retrying cannot help. */
    public boolean isPermanent() {
        return permanent;
    }
}
