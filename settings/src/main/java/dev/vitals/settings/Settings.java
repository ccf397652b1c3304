package dev.vitals.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * One section of the configuration ({@code vitals.api}, {@code vitals.worker}, {@code vitals.broker}), read
 * value by value with its bounds. A value out of bounds is refused with a {@link ConfigException.BadValue}
 * that names the full key, the value and what is allowed, so every module's settings fail the same way.
 */
public final class Settings {

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

    /** A refusal of {@code key} of this section, for checks of its own. */
    public ConfigException.BadValue bad(String key, String message) {
        return new ConfigException.BadValue(path + "." + key, message);
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + "ms";
    }
}
