package dev.vitals.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigOrigin;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One section of the configuration ({@code vitals.api}, {@code vitals.worker}, {@code vitals.broker}), read
 * value by value with its bounds. A value out of bounds is refused with a {@link ConfigException.BadValue}
 * that names the full key, the value and what is allowed, so every module's settings fail the same way.
 */
public final class Settings {

    /** The environment variables that override a setting, as each module's reference.conf names them. */
    static final Map<String, String> ENVIRONMENT = Map.of(
            "vitals.broker.uri", "RABBITMQ_URI",
            "vitals.api.store.url", "VITALS_DB_URL",
            "vitals.api.port", "VITALS_API_PORT",
            "vitals.api.tokens", "VITALS_API_TOKENS",
            "vitals.api.schedules", "VITALS_API_SCHEDULES",
            "vitals.worker.health.port", "HEALTH_PORT",
            "vitals.worker.id", "VITALS_WORKER_ID",
            "vitals.api.alerts.public-url", "VITALS_API_PUBLIC_URL",
            "vitals.api.alerts.webhook.url", "VITALS_ALERTS_WEBHOOK_URL");

    /** {@code [origin: ]Invalid value at 'key': detail}, as {@link ConfigException.BadValue} words it. */
    private static final Pattern BAD_VALUE =
            Pattern.compile("(?s)(?:(.*?): )?Invalid value at '([^']+)': (.*)");

    private final Config config;
    private final String path;

    private Settings(Config config, String path) {
        this.config = config;
        this.path = path;
    }

    /** The section at {@code path} of a resolved configuration. */
    public static Settings at(Config root, String path) {
        return new Settings(root.getConfig(path), path);
    }

    /**
     * A section that is not at a fixed path, such as one object of a list ({@code vitals.api.alerts.channels[2]}):
     * refusals name its values under {@code path}.
     */
    public static Settings of(Config section, String path) {
        return new Settings(section, path);
    }

    /** The section itself, for values read without bounds (strings, lists, booleans, sub-sections). */
    public Config config() {
        return config;
    }

    public int intBetween(String key, int min, int max) {
        int value = config.getInt(key);
        if (value < min || value > max) {
            throw bad(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    public long bytesBetween(String key, long min, long max) {
        long value = config.getBytes(key);
        if (value < min || value > max) {
            throw bad(key, "must be between " + min + " and " + max + " bytes, got " + value);
        }
        return value;
    }

    public Duration durationBetween(String key, Duration min, Duration max) {
        Duration value = config.getDuration(key);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw bad(key, "must be between " + millis(min) + " and " + millis(max) + ", got " + millis(value));
        }
        return value;
    }

    public Duration durationAtLeast(String key, Duration min) {
        Duration value = config.getDuration(key);
        if (value.compareTo(min) < 0) {
            throw bad(key, "must be at least " + millis(min) + ", got " + millis(value));
        }
        return value;
    }

    public Duration positiveDuration(String key) {
        Duration value = config.getDuration(key);
        if (value.isNegative() || value.isZero()) {
            throw bad(key, "must be a positive duration, got " + millis(value));
        }
        return value;
    }

    /** A duration of whole seconds, {@code min} to {@code max} seconds. */
    public Duration wholeSecondsBetween(String key, int min, int max) {
        Duration value = config.getDuration(key);
        if (value.toMillis() % 1000 != 0 || value.toSeconds() < min || value.toSeconds() > max) {
            throw bad(key, "must be a whole number of seconds between " + min + "s and " + max + "s, got "
                    + millis(value));
        }
        return value;
    }

    public String nonBlank(String key) {
        String value = config.getString(key);
        if (value.isBlank()) {
            throw bad(key, "must not be empty");
        }
        return value;
    }

    /** A refusal of {@code key} of this section, for checks of its own; it says where the value was set. */
    public ConfigException.BadValue bad(String key, String message) {
        ConfigOrigin origin = config.hasPath(key) ? config.getValue(key).origin() : null;
        return new ConfigException.BadValue(origin, path + "." + key, message);
    }

    /**
     * A refused configuration in one line that says which setting, what is wrong, where it was set, and what to
     * do: {@code invalid setting vitals.api.port (environment variable VITALS_API_PORT): must be between 0 and
     * 65535, got 99999; correct it there}.
     */
    public static String explain(ConfigException refused) {
        String message = refused.getMessage() == null ? refused.getClass().getSimpleName() : refused.getMessage();
        Matcher bad = BAD_VALUE.matcher(message);
        if (!bad.matches()) {
            return "invalid configuration: " + message + "; correct it (each module's reference.conf documents every"
                    + " setting)";
        }
        String origin = bad.group(1);
        String key = bad.group(2);
        String where;
        if (origin == null) {
            where = "";
        } else if (origin.startsWith("env variables")) {
            where = " (environment variable " + ENVIRONMENT.getOrDefault(key, "that sets it") + ")";
        } else if (origin.startsWith("system properties")) {
            where = " (-D" + key + ")";
        } else {
            where = " (" + origin + ")";
        }
        return "invalid setting " + key + where + ": " + bad.group(3) + "; correct it " + (where.isEmpty()
                ? "in the configuration" : "there");
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + "ms";
    }
}
