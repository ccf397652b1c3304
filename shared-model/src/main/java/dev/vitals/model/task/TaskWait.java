package dev.vitals.model.task;

/**
 * The contract's {@code ?wait=N} of {@code POST} and {@code GET /api/v1/health-checks}: how long a caller may ask
 * the API to hold a request until the task is terminal.
 */
public final class TaskWait {

    /** The longest wait a caller may ask for, in seconds: {@code ?wait} is 0 to this. */
    public static final int MAX_SECONDS = 30;

    private TaskWait() {
    }
}
