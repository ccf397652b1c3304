package dev.vitals.model;

/**
 * The exit codes of {@code vitals check} and {@code vitals worker --once}, as the contract fixes them:
 * the one place that maps a health status to a process exit code.
 */
public enum ExitCode {
    /** The machine or fleet is healthy. */
    HEALTHY(0),
    /** The check ran and found a warning or an error. */
    UNHEALTHY(1),
    /** The check could not be carried out: API unreachable, task failed or expired, timeout, bad input. */
    COULD_NOT_RUN(2);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ExitCode of(HealthStatus status) {
        return status == HealthStatus.HEALTHY ? HEALTHY : UNHEALTHY;
    }
}
