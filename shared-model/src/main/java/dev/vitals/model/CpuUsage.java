package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * CPU use over a recent window, of the whole machine or of the worker's container. With
 * {@link Scope#CONTAINER} the percentage is of the container's CPU quota ({@code effectiveCpus} CPUs' worth of
 * time), and how often the kernel throttled the container stands beside it with the host's own figure.
 *
 * @param percentUsed      busy time over the window, 0–100: across all logical CPUs (host), or of the quota
 *                         (container)
 * @param logicalCpus      number of logical CPUs of the machine
 * @param windowSeconds    length of the window the percentage was measured over, in seconds
 * @param scope            what was graded; {@link Scope#HOST} for reports that do not say
 * @param effectiveCpus    the container's quota in CPUs (quota ÷ period, 0.5 for half a core); null for the host
 * @param hostPercentUsed  the machine's busy percent over the same window, beside a container's; null for the host
 * @param throttledPercent share of the quota's periods in the window in which the container was throttled,
 *                         0–100; null for the host
 * @param throttledSeconds time the container's tasks spent throttled in the window, in seconds; null for the host
 * @param scopeNote        why the scope is not the one configured, said in the check's reason; null when there
 *                         is nothing to say
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CpuUsage(double percentUsed, int logicalCpus, double windowSeconds, Scope scope,
                       @Nullable Double effectiveCpus, @Nullable Double hostPercentUsed,
                       @Nullable Double throttledPercent, @Nullable Double throttledSeconds,
                       @Nullable String scopeNote) implements Measurement {

    public CpuUsage {
        if (scope == null) {
            scope = Scope.HOST;
        }
    }

    /** The machine's CPU use, graded as such. */
    public CpuUsage(double percentUsed, int logicalCpus, double windowSeconds) {
        this(percentUsed, logicalCpus, windowSeconds, Scope.HOST, null, null, null, null, null);
    }

    /** This measurement with a note on its scope, said in the reason. */
    public CpuUsage withScopeNote(String note) {
        return new CpuUsage(percentUsed, logicalCpus, windowSeconds, scope, effectiveCpus, hostPercentUsed,
                throttledPercent, throttledSeconds, note);
    }

    @Override
    public double gradedValue() {
        return percentUsed;
    }
}
