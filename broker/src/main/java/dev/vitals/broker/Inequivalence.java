package dev.vitals.broker;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What RabbitMQ's {@code PRECONDITION_FAILED} (406) says when a declaration differs from the queue or exchange
 * that exists: the argument, the object, its vhost, and the value on each side. The broker words it
 *
 * <pre>
 * PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'maintenance_tasks' in vhost '/':
 *     received the value 'quorum' of type 'longstr' but current is none
 * PRECONDITION_FAILED - inequivalent arg 'x-queue-type' for queue 'q' in vhost '/': received 'classic' but current is 'quorum'
 * PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'vitals.events' in vhost '/': received 'topic' but current is 'direct'
 * </pre>
 *
 * ({@code none} when one side has no such argument; a value with its AMQP type when only one side has one,
 * the bare values when both have one).
 *
 * @param argument the argument ({@code x-max-length}) or property ({@code durable}, {@code type})
 * @param kind     {@code queue} or {@code exchange}
 * @param name     the queue's or exchange's name
 * @param vhost    its virtual host
 * @param received what the declaration asked for; empty for none
 * @param current  what the object has; empty for none
 */
public record Inequivalence(String argument, String kind, String name, String vhost, Optional<Value> received,
                            Optional<Value> current) {

    private static final String SIDE = "(none|the value '(.*)' of type '([\\w-]+)'|'(.*)')";
    private static final Pattern TEXT = Pattern.compile("inequivalent arg '([^']*)' for (queue|exchange) '(.*)'"
            + " in vhost '(.*)': received " + SIDE + " but current is " + SIDE + "\\s*$", Pattern.DOTALL);

    /**
     * One side's value as the broker printed it.
     *
     * @param text the value's text
     * @param type its AMQP field type ({@code longstr}, {@code signedint}, {@code bool} …), or null when the
     *             broker did not say (it prints types only when the other side has no value)
     */
    public record Value(String text, @Nullable String type) {

        /** {@code x-delivery-limit=5}, or {@code x-delivery-limit} alone for none. */
        static String show(String argument, Optional<Value> value) {
            return value.map(v -> argument + "=" + v.text()).orElse(argument + " unset");
        }
    }

    /** Reads a 406 close reason; empty when it is not about inequivalent arguments. */
    public static Optional<Inequivalence> parse(String replyText) {
        Matcher m = TEXT.matcher(replyText);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new Inequivalence(m.group(1), m.group(2), m.group(3), m.group(4),
                side(m.group(5), m.group(6), m.group(7), m.group(8)),
                side(m.group(9), m.group(10), m.group(11), m.group(12))));
    }

    private static Optional<Value> side(String whole, @Nullable String typedText, @Nullable String type,
                                        @Nullable String bareText) {
        if (whole.equals("none")) {
            return Optional.empty();
        }
        return Optional.of(typedText != null ? new Value(typedText, type) : new Value(bareText, null));
    }

    /** True when the broker complains about a property of the object (durable, type…) rather than an x-argument. */
    public boolean isProperty() {
        return !argument.startsWith("x-");
    }

    /**
     * The current value as the client should send it to declare the object as it is: the type the broker named
     * or, when it named none, the type of {@code like} (what was declared). Empty when it cannot be had.
     */
    public Optional<Object> currentValueLike(@Nullable Object like) {
        return current.flatMap(value -> convert(value, like));
    }

    static Optional<Object> convert(Value value, @Nullable Object like) {
        String type = value.type();
        try {
            if (type == null) {
                if (like instanceof Integer || like instanceof Long) {
                    return Optional.of(narrow(Long.parseLong(value.text())));
                }
                if (like instanceof Boolean) {
                    return bool(value.text());
                }
                if (like instanceof String) {
                    return Optional.of(value.text());
                }
                return Optional.empty();
            }
            return switch (type) {
                case "longstr", "shortstr" -> Optional.of(value.text());
                case "signedint", "long", "short", "byte", "unsignedbyte", "unsignedshort", "unsignedint" ->
                        Optional.of(narrow(Long.parseLong(value.text())));
                case "bool" -> bool(value.text());
                default -> Optional.empty();
            };
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Object narrow(long value) {
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? (Object) (int) value : (Object) value;
    }

    private static Optional<Object> bool(String text) {
        return switch (text) {
            case "true" -> Optional.of(Boolean.TRUE);
            case "false" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }
}
