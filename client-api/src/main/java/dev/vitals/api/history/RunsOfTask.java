package dev.vitals.api.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.model.CheckName;
import dev.vitals.model.CheckStatus;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.task.TaskStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The runs an ended task stands for:
 *
 * <ul>
 *   <li>completed by one worker: its report;</li>
 *   <li>target {@code all}: a report per worker that reported, and a missing run for each expected worker that
 *       did not;</li>
 *   <li>failed or expired with a worker id as target: a missing run of that worker; with target {@code any}: a
 *       missing run of the worker that took it, or none when no worker took it (no worker was expected).</li>
 * </ul>
 *
 * A report that cannot be read counts as a {@code warning} without checks (not known to be healthy, not a
 * failure either), as the task's own combined status counts it.
 */
public final class RunsOfTask {

    private final ObjectMapper mapper;

    public RunsOfTask(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public List<Run> runs(EndedTask task) {
        boolean scheduled = task.schedule() != null;
        if (task.target().isAll()) {
            Map<String, Run> byWorker = new LinkedHashMap<>();
            if (task.status() == TaskStatus.COMPLETED && task.resultJson() != null) {
                for (JsonNode report : tree(task.resultJson()).path("reports")) {
                    String worker = report.path("worker_id").asText("");
                    if (!worker.isEmpty()) {
                        byWorker.putIfAbsent(worker, reported(task, worker, report, scheduled));
                    }
                }
            }
            for (String worker : task.expectedWorkers()) {
                byWorker.putIfAbsent(worker, Run.missing(task.taskId(), worker, task.completedAt(), scheduled));
            }
            return List.copyOf(byWorker.values());
        }
        if (task.status() == TaskStatus.COMPLETED && task.resultJson() != null && task.workerId() != null) {
            return List.of(reported(task, task.workerId(), tree(task.resultJson()), scheduled));
        }
        String expected = task.target().isWorker() ? task.target().value() : task.workerId();
        return expected == null ? List.of() : List.of(Run.missing(task.taskId(), expected, task.completedAt(), scheduled));
    }

    private static Run reported(EndedTask task, String worker, JsonNode report, boolean scheduled) {
        HealthStatus status = HealthStatus.find(report.path("status").asText()).orElse(HealthStatus.WARNING);
        Map<CheckName, CheckPoint> checks = new EnumMap<>(CheckName.class);
        JsonNode all = report.path("checks");
        for (CheckName name : CheckName.values()) {
            JsonNode check = all.get(name.id());
            if (check != null && check.isObject()) {
                checks.put(name, point(name, check));
            }
        }
        return new Run(task.taskId(), worker, task.completedAt(), scheduled, status, checks);
    }

    private static CheckPoint point(CheckName name, JsonNode check) {
        CheckStatus status = switch (check.path("status").asText().toLowerCase(Locale.ROOT)) {
            case "ok", "healthy" -> CheckStatus.OK;
            case "warning" -> CheckStatus.WARNING;
            case "error" -> CheckStatus.ERROR;
            default -> CheckStatus.UNKNOWN;
        };
        if (status == CheckStatus.UNKNOWN) {
            return new CheckPoint(status, null, null, null);
        }
        return new CheckPoint(status, number(check.get(gradedField(name))), number(check.get("warning")),
                number(check.get("error")));
    }

    /** The field of a check that its thresholds apply to, as the contract's report names it. */
    static String gradedField(CheckName name) {
        return switch (name) {
            case CPU, MEMORY, DISK -> "percent_used";
            case LOAD -> "per_core";
            case THREADS -> "count";
        };
    }

    private static @Nullable Double number(@Nullable JsonNode node) {
        return node != null && node.isNumber() ? node.asDouble() : null;
    }

    private JsonNode tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return mapper.createObjectNode();
        }
    }

    /** The runs of several tasks, in their order. */
    public List<Run> runs(List<EndedTask> tasks) {
        List<Run> runs = new ArrayList<>();
        tasks.forEach(task -> runs.addAll(runs(task)));
        return runs;
    }
}
