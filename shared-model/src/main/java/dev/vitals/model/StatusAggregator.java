package dev.vitals.model;

/**
 * The one place where statuses are combined: the worst one wins.
 *
 * <p>A check that could not be read ({@link CheckStatus#UNKNOWN}) makes the report at least
 * {@link HealthStatus#WARNING}: a machine we cannot see is not known to be healthy.
 */
public final class StatusAggregator {

    private StatusAggregator() {
    }

    /** The status of a report made of these checks; {@link HealthStatus#HEALTHY} when there are none. */
    public static HealthStatus ofChecks(Iterable<CheckStatus> checks) {
        HealthStatus worst = HealthStatus.HEALTHY;
        for (CheckStatus check : checks) {
            worst = worst.worse(toHealth(check));
        }
        return worst;
    }

    /** The status of several reports taken together, as for a task sent to every worker. */
    public static HealthStatus ofReports(Iterable<HealthStatus> reports) {
        HealthStatus worst = HealthStatus.HEALTHY;
        for (HealthStatus report : reports) {
            worst = worst.worse(report);
        }
        return worst;
    }

    static HealthStatus toHealth(CheckStatus check) {
        return switch (check) {
            case OK -> HealthStatus.HEALTHY;
            case WARNING, UNKNOWN -> HealthStatus.WARNING;
            case ERROR -> HealthStatus.ERROR;
        };
    }
}
