package dev.vitals.api.alert.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vitals.api.alert.Notification;
import dev.vitals.api.alert.NotificationText;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Sends each notification as a message to a Telegram chat through the Bot API's {@code sendMessage}:
 * {@code POST <api-url>/bot<token>/sendMessage}. The API URL is {@code https://api.telegram.org} unless
 * configured otherwise (a local Bot API server, or a test's). The token is the channel's secret: it is in
 * the request's path, so errors name the chat, never the URL.
 */
public final class TelegramChannel implements Channel {

    public static final URI DEFAULT_API_URL = URI.create("https://api.telegram.org");

    private final String name;
    private final URI sendMessage;
    private final String chatId;
    private final ObjectMapper mapper;
    private final JsonPost post;

    public TelegramChannel(String name, URI apiUrl, String botToken, String chatId, ObjectMapper mapper,
                           Duration timeout) {
        this.name = name;
        String base = apiUrl.toString().endsWith("/") ? apiUrl.toString() : apiUrl + "/";
        this.sendMessage = URI.create(base + "bot" + botToken + "/sendMessage");
        this.chatId = chatId;
        this.mapper = mapper;
        this.post = new JsonPost(timeout);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "telegram";
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        ObjectNode message = mapper.createObjectNode();
        message.put("chat_id", chatId);
        message.put("text", NotificationText.plain(notification));
        message.put("disable_web_page_preview", true);
        String answer;
        try {
            answer = post.post(sendMessage, mapper.writeValueAsBytes(message), Map.of(),
                    "Telegram chat " + chatId + " of channel '" + name + "'");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a Telegram message is plain JSON", e);
        }
        // The Bot API answers {"ok": true, "result": …}; {"ok": false, "description": …} is a refusal.
        try {
            JsonNode reply = mapper.readTree(answer);
            if (!reply.path("ok").asBoolean(false)) {
                throw new DeliveryException("Telegram refused the message to chat " + chatId + ": "
                        + reply.path("description").asText("no description"), true);
            }
        } catch (IOException e) {
            throw new DeliveryException("Telegram answered something that is not the Bot API's JSON", false);
        }
    }

    @Override
    public String toString() {
        return "Telegram chat " + chatId + " of channel '" + name + "'";
    }
}
