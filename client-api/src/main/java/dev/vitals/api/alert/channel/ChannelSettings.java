package dev.vitals.api.alert.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.vitals.settings.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One configured channel ({@code vitals.api.alerts.channels}, see reference.conf), validated at start-up.
 * Its {@code toString} never shows a secret: configurations are logged.
 */
public sealed interface ChannelSettings {

    /** A channel's name: lowercase letters, digits, {@code . _ -}; it names the channel in the API and in metrics. */
    Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    String name();

    /** The channel these settings describe. */
    Channel create(ObjectMapper mapper, Duration timeout);

    record Webhook(String name, URI url, @Nullable String secret) implements ChannelSettings {
        @Override
        public Channel create(ObjectMapper mapper, Duration timeout) {
            return new WebhookChannel(name, url, secret, new WebhookBody(mapper), timeout);
        }

        @Override
        public String toString() {
            return "webhook " + name + " at " + JsonPost.hostOf(url) + (secret == null ? "" : " (signed)");
        }
    }

    record Slack(String name, URI url) implements ChannelSettings {
        @Override
        public Channel create(ObjectMapper mapper, Duration timeout) {
            return new SlackChannel(name, url, mapper, timeout);
        }

        @Override
        public String toString() {
            return "slack " + name;
        }
    }

    record Telegram(String name, URI apiUrl, String botToken, String chatId) implements ChannelSettings {
        @Override
        public Channel create(ObjectMapper mapper, Duration timeout) {
            return new TelegramChannel(name, apiUrl, botToken, chatId, mapper, timeout);
        }

        @Override
        public String toString() {
            return "telegram " + name + " to chat " + chatId;
        }
    }

    record Email(String name, EmailChannel.Smtp smtp, String from, List<String> to) implements ChannelSettings {
        public Email {
            to = List.copyOf(to);
        }

        @Override
        public Channel create(ObjectMapper mapper, Duration timeout) {
            return new EmailChannel(name, smtp, from, to, timeout);
        }

        @Override
        public String toString() {
            return "email " + name + " through " + smtp + " to " + to;
        }
    }

    /**
     * Reads {@code channels} (a list of objects) of {@code alerts}, and the one webhook channel that
     * {@code webhook.url} ({@code VITALS_ALERTS_WEBHOOK_URL}) configures without a config file.
     *
     * @throws ConfigException naming the channel's key and what is wrong
     */
    static List<ChannelSettings> from(Settings alerts, String path) {
        List<ChannelSettings> channels = new ArrayList<>();
        List<? extends Config> listed = alerts.config().getConfigList("channels");
        for (int i = 0; i < listed.size(); i++) {
            channels.add(one(Settings.of(listed.get(i), path + ".channels[" + i + "]")));
        }
        String webhookUrl = alerts.config().getString("webhook.url");
        if (!webhookUrl.isBlank()) {
            String secret = alerts.config().getString("webhook.secret");
            channels.add(new Webhook("webhook", url(alerts, "webhook.url"), secret.isEmpty() ? null : secret));
        }
        Set<String> names = new HashSet<>();
        for (ChannelSettings channel : channels) {
            if (!names.add(channel.name())) {
                throw alerts.bad("channels", "two channels are named '" + channel.name() + "' (the one of"
                        + " webhook.url / VITALS_ALERTS_WEBHOOK_URL is named 'webhook'); give each its own name");
            }
        }
        return List.copyOf(channels);
    }

    private static ChannelSettings one(Settings c) {
        String name = c.nonBlank("name");
        if (!NAME.matcher(name).matches()) {
            throw c.bad("name", "must be 1 to 64 lowercase letters, digits, '.', '_' or '-', starting with a letter"
                    + " or digit, got '" + name + "'");
        }
        String type = c.nonBlank("type").toLowerCase(Locale.ROOT);
        return switch (type) {
            case "webhook" -> new Webhook(name, url(c, "url"), optional(c, "secret"));
            case "slack" -> new Slack(name, url(c, "url"));
            case "telegram" -> new Telegram(name,
                    c.config().hasPath("api-url") ? url(c, "api-url") : TelegramChannel.DEFAULT_API_URL,
                    c.nonBlank("bot-token"), c.nonBlank("chat-id"));
            case "email" -> email(c, name);
            default -> throw c.bad("type", "must be webhook, slack, telegram or email, got '" + type + "'");
        };
    }

    private static Email email(Settings c, String name) {
        EmailChannel.Security security;
        String securityName = c.config().hasPath("security") ? c.nonBlank("security") : "starttls";
        try {
            security = EmailChannel.Security.valueOf(securityName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw c.bad("security", "must be starttls, tls or none, got '" + securityName + "'");
        }
        int defaultPort = switch (security) {
            case TLS -> 465;
            case STARTTLS -> 587;
            case NONE -> 25;
        };
        int port = c.config().hasPath("port") ? c.intBetween("port", 1, 65_535) : defaultPort;
        List<String> to = c.config().getStringList("to");
        if (to.isEmpty()) {
            throw c.bad("to", "must list at least one address");
        }
        EmailChannel.Smtp smtp = new EmailChannel.Smtp(c.nonBlank("host"), port, security,
                optional(c, "username"), optional(c, "password"));
        Email email = new Email(name, smtp, c.nonBlank("from"), to);
        try {
            email.create(new ObjectMapper(), Duration.ofSeconds(1)); // checks every address now, not at the first alert
        } catch (IllegalArgumentException e) {
            throw c.bad("to", e.getMessage());
        }
        return email;
    }

    private static @Nullable String optional(Settings c, String key) {
        if (!c.config().hasPath(key)) {
            return null;
        }
        String value = c.config().getString(key);
        return value.isEmpty() ? null : value;
    }

    private static URI url(Settings c, String key) {
        String value = c.nonBlank(key);
        try {
            URI uri = new URI(value);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw c.bad(key, "must be an http:// or https:// URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw c.bad(key, "is not a URL: " + e.getReason());
        }
    }
}
