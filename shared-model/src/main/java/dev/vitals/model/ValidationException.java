package dev.vitals.model;

/**
 * Input that breaks a rule of the contract. {@link #field()} names the offending field or setting
 * (for example {@code thresholds.disk.warning}) so that the message can point at it.
 */
public class ValidationException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public ValidationException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
