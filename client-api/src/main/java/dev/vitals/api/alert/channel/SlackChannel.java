package dev.vitals.api.alert.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitals.api.alert.Notification;
import dev.vitals.api.alert.NotificationText;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Posts each notification to a Slack incoming webhook: the headline as the message's text (what Slack shows
 * in notifications), and a block of details under it. The webhook URL is the channel's secret and never
 * leaves it.
 */
public final class SlackChannel implements Channel {

    private final String name;
    private final URI webhookUrl;
    private final ObjectMapper mapper;
    private final JsonPost post;

    public SlackChannel(String name, URI webhookUrl, ObjectMapper mapper, Duration timeout) {
        this.name = name;
        this.webhookUrl = webhookUrl;
        this.mapper = mapper;
        this.post = new JsonPost(timeout);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "slack";
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        post.post(webhookUrl, message(notification), Map.of(), "Slack channel '" + name + "'");
    }

    byte[] message(Notification notification) {
        String headline = NotificationText.headline(notification);
        ObjectNode message = mapper.createObjectNode();
        message.put("text", headline);
        ArrayNode blocks = message.putArray("blocks");
        section(blocks, "*" + escape(headline) + "*");
        section(blocks, escape(String.join("\n", NotificationText.details(notification))));
        try {
            return mapper.writeValueAsBytes(message);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a Slack message is plain JSON", e);
        }
    }

    private static void section(ArrayNode blocks, String markdown) {
        ObjectNode section = blocks.addObject();
        section.put("type", "section");
        ObjectNode text = section.putObject("text");
        text.put("type", "mrkdwn");
        text.put("text", markdown);
    }

    /** Slack's mrkdwn needs these three escaped, and no others. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    @Override
    public String toString() {
        return "Slack channel '" + name + "'";
    }
}
