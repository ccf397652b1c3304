package dev.vitals.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one-line messages about queues and exchanges that exist otherwise than Vitals declares them: what differs,
 * what follows, and what an operator can do. Pure functions of what the broker said and what was declared.
 */
final class TopologyAdvice {

    /** The queue arguments a policy can also set, and the policy's key for each. */
    static final Map<String, String> POLICY_KEYS = Map.of(
            "x-dead-letter-exchange", "dead-letter-exchange",
            "x-dead-letter-routing-key", "dead-letter-routing-key",
            "x-delivery-limit", "delivery-limit",
            "x-max-length", "max-length",
            "x-max-length-bytes", "max-length-bytes",
            "x-overflow", "overflow",
            "x-message-ttl", "message-ttl",
            "x-expires", "expires");

    /** What a queue without one of Vitals' arguments does otherwise. */
    private static final Map<String, String> WITHOUT = Map.of(
            "x-delivery-limit", "a task that fails on every worker is redelivered forever",
            "x-dead-letter-exchange", "tasks the queue drops (expired, over the delivery limit) are not"
                    + " dead-lettered to Vitals, so the API ends them only at their timeout",
            "x-max-length", "the queue grows without bound while no worker takes tasks",
            "x-overflow", "a full queue drops its oldest tasks instead of refusing new ones",
            "x-expires", "the queue stays after its worker is gone");

    private static final Pattern REGEX_SPECIAL = Pattern.compile("[\\\\.\\[\\]{}()*+?^$|]");
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._/%:@+=-]+");

    private TopologyAdvice() {
    }

    /**
     * A declaration the broker refused: {@code queue 'maintenance_tasks' in vhost '/' exists with
     * x-queue-type=classic; Vitals declares x-queue-type=quorum. A queue's arguments cannot change: …}.
     */
    static String conflict(Inequivalence refused) {
        String existing = refused.current().map(v -> refused.argument() + "=" + v.text())
                .orElse(refused.argument().equals("x-queue-type") ? "x-queue-type=classic" : "no " + refused.argument());
        String declared = refused.received().map(v -> refused.argument() + "=" + v.text())
                .orElse("no " + refused.argument());
        if (refused.kind().equals("exchange")) {
            return "exchange '%s' in vhost '%s' exists with %s; Vitals declares %s. An exchange's type and durability"
                    .formatted(refused.name(), refused.vhost(), existing, declared)
                    + " cannot change: delete it (rabbitmqadmin --vhost=" + shell(refused.vhost())
                    + " delete exchange name=" + shell(refused.name())
                    + ", or in the management UI) or give Vitals another vhost";
        }
        return "queue '%s' in vhost '%s' exists with %s; Vitals declares %s. A queue's arguments cannot change:"
                .formatted(refused.name(), refused.vhost(), existing, declared)
                + " delete it once empty (" + deleteQueue(refused.vhost(), refused.name())
                + ") or give Vitals another vhost";
    }

    /** {@code rabbitmqctl delete_queue [-p VHOST] NAME}. */
    static String deleteQueue(String vhost, String queue) {
        return "rabbitmqctl delete_queue " + (vhost.equals("/") ? "" : "-p " + shell(vhost) + " ") + shell(queue);
    }

    /**
     * {@code rabbitmqctl set_policy -p VHOST vitals-QUEUE '^QUEUE$' '{…}' --apply-to queues}: gives the queue
     * these arguments (keys of {@link #POLICY_KEYS}) as a policy, which can be changed at any time.
     */
    static String policyCommand(String vhost, String queue, Map<String, Object> arguments) {
        StringBuilder definition = new StringBuilder("{");
        new TreeMap<>(arguments).forEach((argument, value) -> {
            String key = POLICY_KEYS.get(argument);
            if (key != null) {
                definition.append(definition.length() > 1 ? "," : "").append('"').append(key).append("\":")
                        .append(value instanceof Number || value instanceof Boolean ? value : "\"" + value + "\"");
            }
        });
        definition.append('}');
        return "rabbitmqctl set_policy -p " + shell(vhost) + " " + shell("vitals-" + queue) + " '^"
                + REGEX_SPECIAL.matcher(queue).replaceAll("\\\\$0") + "$' '" + definition + "' --apply-to queues";
    }

    /**
     * A queue used as it is although its arguments differ from those Vitals declares; empty when they do not.
     *
     * @param declared the arguments Vitals declares for a new queue
     * @param kept     the arguments the queue has (as Vitals then declared it, successfully)
     */
    static Optional<String> adjusted(String vhost, String queue, Map<String, Object> declared, Map<String, Object> kept) {
        TreeSet<String> arguments = new TreeSet<>(declared.keySet());
        arguments.addAll(kept.keySet());
        List<String> differences = new ArrayList<>();
        List<String> consequences = new ArrayList<>();
        Map<String, Object> missing = new TreeMap<>();
        List<String> held = new ArrayList<>();
        for (String argument : arguments) {
            @Nullable Object wanted = declared.get(argument);
            @Nullable Object has = kept.get(argument);
            if (Objects.equals(text(wanted), text(has))) {
                continue;
            }
            differences.add((has == null ? argument + " unset" : argument + "=" + has)
                    + " (Vitals: " + (wanted == null ? "unset" : wanted) + ")");
            String without = WITHOUT.get(argument);
            boolean divertingChoice = argument.equals("x-overflow") || argument.equals("x-dead-letter-exchange");
            if (wanted != null && without != null && (has == null || divertingChoice)) {
                consequences.add(without);
            }
            if (has == null && wanted != null && POLICY_KEYS.containsKey(argument)) {
                missing.put(argument, wanted);
            } else if (has != null) {
                held.add(argument + "=" + has);
            }
        }
        if (differences.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder line = new StringBuilder("queue '%s' in vhost '%s' exists with other arguments than Vitals declares: "
                .formatted(queue, vhost)).append(String.join(", ", differences))
                .append("; using it as it is (a queue's arguments cannot change)");
        if (!consequences.isEmpty()) {
            line.append(", so ").append(String.join("; ", consequences));
        }
        line.append('.');
        if (!missing.isEmpty()) {
            line.append(" A policy gives it what it lacks: ").append(policyCommand(vhost, queue, missing)).append('.');
        }
        if (!held.isEmpty()) {
            line.append(" What the queue holds as arguments (").append(String.join(", ", held))
                    .append(") prevails over a policy, which can only lower a limit: to change it, delete the queue"
                            + " once empty (").append(deleteQueue(vhost, queue))
                    .append(") and let Vitals declare it again.");
        }
        return Optional.of(line.toString());
    }

    /** Whether {@link #adjusted} describes a loss of what Vitals relies on (then worth a warning). */
    static boolean losesSafety(Map<String, Object> declared, Map<String, Object> kept) {
        return declared.entrySet().stream().anyMatch(wanted -> WITHOUT.containsKey(wanted.getKey())
                && !Objects.equals(text(wanted.getValue()), text(kept.get(wanted.getKey())))
                && (kept.get(wanted.getKey()) == null || wanted.getKey().equals("x-overflow")
                || wanted.getKey().equals("x-dead-letter-exchange")));
    }

    private static @Nullable String text(@Nullable Object value) {
        return value == null ? null : value.toString();
    }

    /** The word as a shell reads it: as it is when plain, else in single quotes. */
    static String shell(String word) {
        return SHELL_SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
