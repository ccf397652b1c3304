package dev.vitals.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.vitals.model.json.CheckResultsDeserializer;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What one worker measured and graded for one task.
 *
 * @param taskId        the task this report answers
 * @param workerId      the worker that measured
 * @param hostname      the machine it measured
 * @param timestamp     when the report was made
 * @param sampledAt     when the machine was read; reports of tasks that arrived close together share one
 *                      reading, so this may be a little older than {@code timestamp}. Absent from reports
 *                      of other publishers
 * @param durationMs    time spent collecting and grading, in milliseconds
 * @param status        the worst of the checks (see {@link StatusAggregator})
 * @param checks        the checks that ran, in {@link CheckName} order
 * @param uptimeSeconds how long the machine has been up, in seconds
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HealthReport(
        UUID taskId,
        String workerId,
        String hostname,
        Instant timestamp,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Instant sampledAt,
        double durationMs,
        HealthStatus status,
        @JsonDeserialize(using = CheckResultsDeserializer.class) Map<CheckName, CheckResult> checks,
        long uptimeSeconds) {

    public HealthReport {
        EnumMap<CheckName, CheckResult> ordered = new EnumMap<>(CheckName.class);
        ordered.putAll(checks);
        checks = Collections.unmodifiableMap(ordered);
    }
}
