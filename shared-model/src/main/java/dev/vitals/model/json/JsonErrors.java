package dev.vitals.model.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.vitals.model.ValidationException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns Jackson's exceptions into {@link ValidationException}s that name the offending field the way
 * the contract spells it ({@code thresholds.disk.warning}, {@code checks[1]}) and say what was wrong,
 * without Jackson's class names and source excerpts.
 */
public final class JsonErrors {

    private static final String PROBLEM = ", problem: ";
    /** {@code (java.lang.IllegalArgumentException) }: a class name Jackson puts before a cause's message. */
    private static final Pattern JAVA_CLASS_IN_PARENTHESES =
            Pattern.compile("\\((?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*\\) ?");

    private JsonErrors() {
    }

    /**
     * Describes why a document could not be read.
     *
     * @param root the field name to use when the problem is the document itself (for example {@code body})
     * @param prefix prepended to field paths inside the document (for example {@code payload}); may be empty
     */
    public static ValidationException describe(JacksonException e, String root, String prefix) {
        if (isSyntaxError(e) || !(e instanceof JsonMappingException mapping)) {
            return new ValidationException(root, "is not valid JSON: " + firstLine(e.getOriginalMessage()));
        }
        List<JsonMappingException.Reference> references = mapping.getPath();
        if (mapping instanceof UnrecognizedPropertyException unrecognized) {
            String parent = path(references.subList(0, Math.max(0, references.size() - 1)), prefix);
            return new ValidationException(parent.isEmpty() ? root : parent, "unknown field '"
                    + unrecognized.getPropertyName() + "'");
        }
        String field = path(references, prefix);
        Throwable cause = mapping.getCause();
        String message = cause instanceof IllegalArgumentException && cause.getMessage() != null
                ? cause.getMessage()
                : firstLine(mapping.getOriginalMessage());
        if (cause instanceof ValidationException validation) {
            return new ValidationException(join(prefix, validation.field()), message.substring(validation.field().length() + 2));
        }
        return new ValidationException(field.isEmpty() ? root : field, message);
    }

    private static boolean isSyntaxError(JacksonException e) {
        if (e instanceof StreamReadException) {
            return true;
        }
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof StreamReadException) {
                return true;
            }
        }
        return e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Unexpected end-of-input");
    }

    private static String path(List<JsonMappingException.Reference> references, String prefix) {
        StringBuilder path = new StringBuilder(prefix);
        for (JsonMappingException.Reference reference : references) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            }
        }
        return path.toString();
    }

    private static String join(String prefix, String field) {
        return prefix.isEmpty() ? field : prefix + "." + field;
    }

    /** A Java type as Jackson quotes it, {@code `java.lang.Integer`}, with the word "value" that may follow. */
    private static final java.util.regex.Pattern TYPE_IN_BACKTICKS =
            java.util.regex.Pattern.compile("`([a-z]+(?:\\.[a-zA-Z0-9_$]+)+)`(?: value)?");

    /** What a JSON writer must send for a Java type, in the contract's words. */
    private static String kindOf(String javaType) {
        return switch (javaType.substring(javaType.lastIndexOf('.') + 1)) {
            case "Integer", "int", "Long", "long", "Short", "short" -> "a whole number";
            case "Double", "double", "Float", "float", "BigDecimal" -> "a number";
            case "String" -> "a string";
            case "Boolean", "boolean" -> "true or false";
            default -> "a value of the expected kind";
        };
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        // "Cannot deserialize Map key of type … from String "gpu": not a valid representation, problem:
        // (java.lang.IllegalArgumentException) unknown check 'gpu'": the model's own words are what matter.
        int problem = line.indexOf(PROBLEM);
        if (problem >= 0) {
            line = line.substring(problem + PROBLEM.length());
        }
        line = JAVA_CLASS_IN_PARENTHESES.matcher(line).replaceAll("")
                .replaceAll(", from `[^`]*`", "")
                .replaceAll(" \\(but could if [^)]*\\)", "")
                .replaceAll(" \\(class [^)]*\\)", "");
        return TYPE_IN_BACKTICKS.matcher(line).replaceAll(type -> kindOf(type.group(1)))
                .replaceAll("(?<![\\w.])(?:java|javax|jdk|sun|com|org|dev|io)(?:\\.[a-z][a-z0-9_]*)*\\.[A-Z][\\w$]*", "value")
                .strip();
    }
}
