package dev.vitals.api.schedule;

import java.time.Duration;

/** Told of each run this replica claims and of how it went: the seam that metrics hang on. Quick, never throws. */
public interface ScheduleObserver {

    /**
     * This replica claimed a run of {@code schedule}.
     *
     * @param lag how late the run starts after the time it was due (zero or more)
     */
    void claimed(String schedule, Duration lag);

    /** How a run this replica claimed went. */
    void ran(String schedule, RunResult result);

    /** How a claimed run went. */
    enum RunResult {
        /** Its task was stored and the broker took it. */
        SUBMITTED("submitted"),
        /**
         * Its task was stored {@code failed} at once: its target could not be served ({@code all} with no live
         * worker, a worker unknown or not alive).
         */
        FAILED("failed"),
        /** No task was created: the broker was not connected or did not take it. */
        SKIPPED("skipped");

        private final String id;

        RunResult(String id) {
            this.id = id;
        }

        /** As the metrics' {@code result} tag says it. */
        public String id() {
            return id;
        }
    }
}
