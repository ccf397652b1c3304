package dev.vitals.model.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitals.model.CheckName;
import dev.vitals.model.CheckResult;
import dev.vitals.model.CheckStatus;
import dev.vitals.model.Measurement;
import dev.vitals.model.Reasons;
import dev.vitals.model.Threshold;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reads a report's {@code checks} object back into {@link CheckResult}s. The check's name says which
 * measurement record its fields belong to, which is why this works on the whole map.
 */
public final class CheckResultsDeserializer extends StdDeserializer<Map<CheckName, CheckResult>> {

    private static final long serialVersionUID = 1L;

    public CheckResultsDeserializer() {
        super(Map.class);
    }

    @Override
    public Map<CheckName, CheckResult> deserialize(JsonParser parser, DeserializationContext context)
            throws IOException {
        JsonNode tree = context.readTree(parser);
        if (!(tree instanceof ObjectNode checks)) {
            return context.reportInputMismatch(this, "checks must be an object, got %s", tree.getNodeType());
        }
        Map<CheckName, CheckResult> results = new EnumMap<>(CheckName.class);
        for (Map.Entry<String, JsonNode> entry : checks.properties()) {
            CheckName name = CheckName.find(entry.getKey()).orElse(null);
            if (name == null) {
                continue; // a check added by a newer worker: more fields may be added
            }
            results.put(name, readCheck(name, entry.getValue(), parser, context));
        }
        return results;
    }

    private CheckResult readCheck(CheckName name, JsonNode node, JsonParser parser, DeserializationContext context)
            throws IOException {
        CheckStatus status = parser.getCodec().treeToValue(node.get("status"), CheckStatus.class);
        if (status == null) {
            return context.reportInputMismatch(this, "check %s has no status", name.id());
        }
        // Reports stored before checks carried a reason have none: it is worded here as their worker would have.
        String reason = node.path("reason").isTextual() && !node.path("reason").asText().isBlank()
                ? node.path("reason").asText() : null;
        if (status == CheckStatus.UNKNOWN) {
            String error = node.path("error").asText("");
            return new CheckResult(status, null, null, error, reason != null ? reason : Reasons.unknown(name, error));
        }
        Measurement measurement = parser.getCodec().treeToValue(node, name.measurementType());
        Threshold threshold = new Threshold(node.path("warning").asDouble(), node.path("error").asDouble());
        return new CheckResult(status, measurement, threshold, null,
                reason != null ? reason : Reasons.graded(measurement, threshold, status));
    }
}
