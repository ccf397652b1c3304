package dev.vitals.api.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vitals.model.CheckName;
import dev.vitals.model.CheckStatus;
import dev.vitals.model.HealthStatus;
import dev.vitals.model.task.TaskStatus;
import java.io.IOException;
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
 *
 * <p>Reports are read with the streaming parser of the mapper's factory, field by field, skipping what the
 * history does not keep (mounts, load averages, host names): the recorder reads every report, and a pass over its
 * text costs less than a tree of every value in it. The factory's checks still apply to the whole
 * document, skipped parts included: a duplicate key, nesting past the limit, malformed or trailing content make
 * the document unreadable as a whole.
 */
public final class RunsOfTask {

    private final JsonFactory json;

    public RunsOfTask(ObjectMapper mapper) {
        this.json = mapper.getFactory();
    }

    /** A report as the history reads it; {@code workerId} as the report names it, null when it does not. */
    private record Report(@Nullable String workerId, HealthStatus status, Map<CheckName, CheckPoint> checks) {

        static final Report UNREADABLE = new Report(null, HealthStatus.WARNING, Map.of());
    }

    public List<Run> runs(EndedTask task) {
        boolean scheduled = task.schedule() != null;
        if (task.target().isAll()) {
            Map<String, Run> byWorker = new LinkedHashMap<>();
            if (task.status() == TaskStatus.COMPLETED && task.resultJson() != null) {
                for (Report report : combined(task.resultJson())) {
                    String worker = report.workerId();
                    if (worker != null && !worker.isEmpty()) {
                        byWorker.putIfAbsent(worker, run(task, worker, report, scheduled));
                    }
                }
            }
            for (String worker : task.expectedWorkers()) {
                byWorker.putIfAbsent(worker, Run.missing(task.taskId(), worker, task.completedAt(), scheduled));
            }
            return List.copyOf(byWorker.values());
        }
        if (task.status() == TaskStatus.COMPLETED && task.resultJson() != null && task.workerId() != null) {
            return List.of(run(task, task.workerId(), single(task.resultJson()), scheduled));
        }
        String expected = task.target().isWorker() ? task.target().value() : task.workerId();
        return expected == null ? List.of() : List.of(Run.missing(task.taskId(), expected, task.completedAt(), scheduled));
    }

    private static Run run(EndedTask task, String worker, Report report, boolean scheduled) {
        return new Run(task.taskId(), worker, task.completedAt(), scheduled, report.status(), report.checks());
    }

    /** One worker's report; {@link Report#UNREADABLE} when it is not a readable JSON object. */
    private Report single(String document) {
        try (JsonParser parser = json.createParser(document)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Report.UNREADABLE;
            }
            Report report = report(parser);
            return parser.nextToken() == null ? report : Report.UNREADABLE;
        } catch (IOException e) {
            return Report.UNREADABLE;
        }
    }

    /**
     * The objects in a combined result's {@code reports}, in order; none when the document is not a readable JSON
     * object.
     */
    private List<Report> combined(String document) {
        try (JsonParser parser = json.createParser(document)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return List.of();
            }
            List<Report> reports = List.of();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("reports") && (value == JsonToken.START_ARRAY || value == JsonToken.START_OBJECT)) {
                    // an array, as the API writes it; the values of an object are read as its reports too
                    JsonToken end = value == JsonToken.START_ARRAY ? JsonToken.END_ARRAY : JsonToken.END_OBJECT;
                    reports = new ArrayList<>();
                    while (parser.nextValue() != end) {
                        if (parser.currentToken() == JsonToken.START_OBJECT) {
                            reports.add(report(parser));
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
            return parser.nextToken() == null ? reports : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The report whose {@code START_OBJECT} is the current token, up to its {@code END_OBJECT}. */
    private static Report report(JsonParser parser) throws IOException {
        String workerId = null;
        String status = null;
        Map<CheckName, CheckPoint> checks = Map.of();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "worker_id" -> workerId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                case "status" -> status = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                case "checks" -> checks = value == JsonToken.START_OBJECT ? checks(parser) : Map.of();
                default -> {
                }
            }
            parser.skipChildren(); // past a nested value not read; nothing for a scalar or one read to its end
        }
        return new Report(workerId, status == null ? HealthStatus.WARNING
                : HealthStatus.find(status).orElse(HealthStatus.WARNING), checks);
    }

    /** The known checks of a report's {@code checks} object (the current token), each an object. */
    private static Map<CheckName, CheckPoint> checks(JsonParser parser) throws IOException {
        Map<CheckName, CheckPoint> checks = new EnumMap<>(CheckName.class);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            CheckName name = CheckName.find(parser.currentName()).orElse(null);
            if (parser.nextToken() == JsonToken.START_OBJECT && name != null) {
                checks.put(name, point(name, parser));
            } else {
                parser.skipChildren();
            }
        }
        return checks;
    }

    /** One check (the current token is its {@code START_OBJECT}): its status, graded value, thresholds and reason. */
    private static CheckPoint point(CheckName name, JsonParser parser) throws IOException {
        String graded = gradedField(name);
        String text = null;
        Double value = null;
        Double warning = null;
        Double error = null;
        String reason = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            if (field.equals("reason")) {
                reason = token == JsonToken.VALUE_STRING ? parser.getText() : null;
            } else if (field.equals("status")) {
                text = token == JsonToken.VALUE_STRING ? parser.getText() : null;
            } else if (field.equals(graded)) {
                value = number(parser, token);
            } else if (field.equals("warning")) {
                warning = number(parser, token);
            } else if (field.equals("error")) {
                error = number(parser, token);
            }
            parser.skipChildren(); // past a nested value; nothing for a scalar
        }
        CheckStatus status = switch (text == null ? "" : text.toLowerCase(Locale.ROOT)) {
            case "ok", "healthy" -> CheckStatus.OK;
            case "warning" -> CheckStatus.WARNING;
            case "error" -> CheckStatus.ERROR;
            default -> CheckStatus.UNKNOWN;
        };
        if (status == CheckStatus.UNKNOWN) {
            return new CheckPoint(status, null, null, null, reason);
        }
        return new CheckPoint(status, value, warning, error, reason);
    }

    /** The field of a check that its thresholds apply to, as the contract's report names it. */
    static String gradedField(CheckName name) {
        return switch (name) {
            case CPU, MEMORY, DISK -> "percent_used";
            case LOAD -> "per_core";
            case THREADS -> "count";
        };
    }

    /** A number as a double; null for any other value. */
    private static @Nullable Double number(JsonParser parser, JsonToken token) throws IOException {
        return token.isNumeric() ? parser.getDoubleValue() : null;
    }

    /** The runs of several tasks, in their order. */
    public List<Run> runs(List<EndedTask> tasks) {
        List<Run> runs = new ArrayList<>();
        tasks.forEach(task -> runs.addAll(runs(task)));
        return runs;
    }
}
