package dev.vitals.model.text;

import java.util.Locale;

/** Numbers as people read them in tables and one-line summaries: whole numbers bare, others to 2 decimals. */
public final class Numbers {

    private Numbers() {
    }

    /** {@code 95} for 95.0, {@code 91.90} for 91.9, {@code 0.60} for 0.6. */
    public static String readable(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
    }
}
