package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * Memory, of the machine or of the worker's container. With {@link Scope#CONTAINER} the first three figures
 * are the container's (its limit as the total, what the kernel counts against that limit as used) and the
 * host's figures stand beside them, so that nobody mistakes one for the other.
 *
 * @param percentUsed     share of memory not available to new work, 0–100: of the host's RAM, or of the
 *                        container's limit
 * @param availableMb     memory available to new work without swapping (host), or left under the limit
 *                        (container), in MiB
 * @param totalMb         installed memory (host) or the limit (container), in MiB
 * @param scope           what was graded; {@link Scope#HOST} for reports that do not say
 * @param limitMb         the container's memory limit, in MiB; null when graded against the host
 * @param hostPercentUsed the host's percent used, beside a container's; null when graded against the host
 * @param hostTotalMb     the host's installed memory, in MiB, beside a container's; null when graded against the
 *                        host
 * @param scopeNote       why the scope is not the one configured (for example {@code grade-scope = container}
 *                        with no limit), said in the check's reason; null when there is nothing to say
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemoryUsage(double percentUsed, double availableMb, double totalMb, Scope scope,
                          @Nullable Double limitMb, @Nullable Double hostPercentUsed, @Nullable Double hostTotalMb,
                          @Nullable String scopeNote) implements Measurement {

    public MemoryUsage {
        if (scope == null) {
            scope = Scope.HOST;
        }
    }

    /** The host's memory, graded as such. */
    public MemoryUsage(double percentUsed, double availableMb, double totalMb) {
        this(percentUsed, availableMb, totalMb, Scope.HOST, null, null, null, null);
    }

    /** This measurement with a note on its scope, said in the reason. */
    public MemoryUsage withScopeNote(String note) {
        return new MemoryUsage(percentUsed, availableMb, totalMb, scope, limitMb, hostPercentUsed, hostTotalMb, note);
    }

    @Override
    public double gradedValue() {
        return percentUsed;
    }
}
