package dev.vitals.cli;

import dev.vitals.model.ValidationException;
import dev.vitals.model.task.Target;
import dev.vitals.model.task.TaskRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The options of {@code vitals check}, parsed and checked.
 *
 * @param api     base URL of the client API
 * @param target  {@code any}, {@code all} or a worker id
 * @param timeout how long the whole check may take, and the task's {@code timeout_seconds}
 * @param output  how to print the result
 * @param token   bearer token, if the API needs one
 */
public record CheckOptions(URI api, Target target, Duration timeout, Output output, @Nullable String token,
                           boolean help) {

    public static final URI DEFAULT_API = URI.create("http://localhost:8080");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** How the result is printed. */
    public enum Output { TABLE, JSON, QUIET, NAGIOS }

    public static final String USAGE = """
            usage: vitals check [--api URL] [--target any|all|ID] [--timeout SECONDS] [--json] [--quiet] [--nagios]
                                [--token TOKEN]

            Triggers a health check through the Vitals API, waits for it and prints it.

              --api URL          the API (default $VITALS_API_URL, else http://localhost:8080)
              --target T         any (one worker, default), all (every live worker) or a worker id
              --timeout SECONDS  how long to wait for the result, 1 to 3600 (default 30)
              --json             print the task as JSON
              --quiet            print nothing; only the exit code tells
              --nagios           one line 'VITALS <STATE> - summary | perfdata', Nagios exit codes
              --token TOKEN      bearer token (default $VITALS_API_TOKEN)

            Exit codes: 0 healthy, 1 warning or error, 2 the check could not be carried out (API unreachable,
            task failed or expired, timeout). With --nagios: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
            """;

    /**
     * @param env the environment, for {@code VITALS_API_URL} and {@code VITALS_API_TOKEN}
     * @throws IllegalArgumentException with a message for the user when an option is wrong
     */
    public static CheckOptions parse(List<String> args, Map<String, String> env) {
        URI api = env.containsKey("VITALS_API_URL") ? uri(env.get("VITALS_API_URL"), "VITALS_API_URL") : DEFAULT_API;
        Target target = Target.ANY;
        Duration timeout = DEFAULT_TIMEOUT;
        Output output = Output.TABLE;
        String token = blankToNull(env.get("VITALS_API_TOKEN"));
        boolean help = false;
        for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
            String arg = it.next();
            switch (arg) {
                case "--api" -> api = uri(value(arg, it), "--api");
                case "--target" -> target = target(value(arg, it));
                case "--timeout" -> timeout = timeout(value(arg, it));
                case "--token" -> token = blankToNull(value(arg, it));
                case "--json" -> output = only(output, Output.JSON);
                case "--quiet" -> output = only(output, Output.QUIET);
                case "--nagios" -> output = only(output, Output.NAGIOS);
                case "-h", "--help" -> help = true;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new CheckOptions(api, target, timeout, output, token, help);
    }

    private static String value(String option, Iterator<String> it) {
        if (!it.hasNext()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return it.next();
    }

    private static Output only(Output current, Output wanted) {
        if (current != Output.TABLE && current != wanted) {
            throw new IllegalArgumentException("--json, --quiet and --nagios exclude each other");
        }
        return wanted;
    }

    private static URI uri(String text, String source) {
        try {
            URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": '" + text + "' is not an http:// or https:// URL");
        }
    }

    private static Target target(String text) {
        try {
            return Target.of(text);
        } catch (ValidationException e) {
            throw new IllegalArgumentException("--target " + e.getMessage().substring("target: ".length()));
        }
    }

    private static Duration timeout(String text) {
        try {
            int seconds = Integer.parseInt(text);
            if (seconds >= 1 && seconds <= TaskRequest.MAX_TIMEOUT_SECONDS) {
                return Duration.ofSeconds(seconds);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--timeout must be whole seconds from 1 to " + TaskRequest.MAX_TIMEOUT_SECONDS
                + ", got '" + text + "'");
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
