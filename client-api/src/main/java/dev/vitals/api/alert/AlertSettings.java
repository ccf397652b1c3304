package dev.vitals.api.alert;

import com.typesafe.config.Config;
import dev.vitals.api.alert.channel.ChannelSettings;
import dev.vitals.settings.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The settings of {@code vitals.api.alerts} (see reference.conf).
 *
 * @param repeatInterval  how often an alert still open is notified again; zero: never
 * @param giveUpAfter     how long a notification is retried before it is marked failed
 * @param sendTimeout     how long one attempt to send may take
 * @param concurrentSends attempts in flight at once on one replica
 * @param retention       how long resolved alerts (with their notifications) and ended silences are kept
 * @param publicUrl       the API's address as people reach it, for the links in notifications; null: no links
 * @param channels        where notifications go; none: alerts are kept and shown, nothing is sent
 */
public record AlertSettings(Duration repeatInterval, Duration giveUpAfter, Duration sendTimeout,
                            int concurrentSends, Duration retention, @Nullable URI publicUrl, List<ChannelSettings> channels) {

    private static final String PATH = "vitals.api.alerts";

    public AlertSettings {
        channels = List.copyOf(channels);
    }

    /** Reads {@code vitals.api.alerts} of a resolved configuration. */
    public static AlertSettings from(Config root) {
        Settings c = Settings.at(root, PATH);
        Duration repeat = c.config().getDuration("repeat-interval");
        if (repeat.isNegative() || (!repeat.isZero() && repeat.compareTo(Duration.ofSeconds(1)) < 0)) {
            throw c.bad("repeat-interval", "must be 0 (never) or at least 1s, got " + repeat.toMillis() + "ms");
        }
        return new AlertSettings(
                repeat,
                c.durationBetween("give-up-after", Duration.ofSeconds(1), Duration.ofDays(30)),
                c.durationBetween("send-timeout", Duration.ofMillis(100), Duration.ofMinutes(1)),
                c.intBetween("concurrent-sends", 1, 64),
                c.durationAtLeast("retention", Duration.ofHours(1)),
                publicUrl(c),
                ChannelSettings.from(c, PATH));
    }

    private static @Nullable URI publicUrl(Settings c) {
        String value = c.config().getString("public-url").strip();
        if (value.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw c.bad("public-url", "must be an http:// or https:// URL with a host, got '" + value + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw c.bad("public-url", "is not a URL: " + e.getReason());
        }
    }
}
