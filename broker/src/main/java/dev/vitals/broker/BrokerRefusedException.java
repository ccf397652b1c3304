package dev.vitals.broker;

import java.io.IOException;

/**
 * The broker refuses what Vitals asks as it is configured (the login, the vhost, a permission, a queue that exists
 * with other arguments): retrying helps only once an operator has acted. The message is one line that says what
 * is wrong and what to do.
 */
public class BrokerRefusedException extends IOException {

    public BrokerRefusedException(String message) {
        super(message);
    }
}
