package dev.vitals.api.canary;

import java.time.Duration;

/** Told how each canary went: the seam the canary's metrics hang on. Must be quick and not throw. */
public interface CanaryObserver {

    /** Observes nothing. */
    CanaryObserver NONE = new CanaryObserver() {
        @Override
        public void cameBack(Duration roundTrip) {
        }

        @Override
        public void failed() {
        }
    };

    /** A canary's report was stored within the timeout, {@code roundTrip} after it was submitted. */
    void cameBack(Duration roundTrip);

    /** A canary did not come back within the timeout (not taken, failed, expired, or refused by the broker). */
    void failed();
}
