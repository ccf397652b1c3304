package dev.vitals.broker;

/**
 * A queue or exchange exists with a type, durability or required argument other than Vitals declares, which the
 * broker cannot change. The message names the object, the argument, both values, and what to do.
 */
public final class TopologyConflictException extends BrokerRefusedException {

    public TopologyConflictException(String message) {
        super(message);
    }
}
