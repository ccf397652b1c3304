package dev.vitals.api.alert.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.vitals.api.alert.Notification;
import dev.vitals.api.alert.Notifications;
import dev.vitals.api.support.Receiver;
import dev.vitals.model.json.VitalsJson;
import dev.vitals.testing.FreePorts;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each channel against a real receiver: an HTTP server, or an SMTP server. */
class ChannelsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String SECRET = "webhook-secret-do-not-log";
    private static final String BOT_TOKEN = "123456:bot-token-do-not-log";

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts", "smtp-password-do-not-log"));

    private final ObjectMapper mapper = VitalsJson.newMapper();
    private final Receiver receiver = new Receiver();

    @AfterEach
    void stop() {
        receiver.close();
    }

    @Test
    void aWebhookGetsTheNotificationAsJsonSignedWithTheSecret() throws Exception {
        Notification opened = Notifications.opened();

        new WebhookChannel("ops", receiver.uri("/hooks/vitals"), SECRET, new WebhookBody(mapper), TIMEOUT)
                .send(opened);

        Receiver.Request request = receiver.next(5);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/hooks/vitals");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header(WebhookChannel.NOTIFICATION_ID_HEADER)).isEqualTo(opened.id().toString());
        // What a receiver does: the HMAC of the body it got, with the secret it shares.
        assertThat(request.header(WebhookChannel.SIGNATURE_HEADER))
                .isEqualTo(WebhookChannel.signature(SECRET, request.body()))
                .isNotEqualTo(WebhookChannel.signature("another secret", request.body()));
        JsonNode body = mapper.readTree(request.body());
        assertThat(body.get("notification_id").asText()).isEqualTo(opened.id().toString());
        assertThat(body.get("kind").asText()).isEqualTo("opened");
        assertThat(body.at("/alert/status").asText()).isEqualTo("open");
        assertThat(body.at("/alert/worker_id").asText()).isEqualTo("host-a-1");
        assertThat(body.at("/alert/checks/0/value").asDouble()).isEqualTo(97.1);
        assertThat(body.at("/alert/checks/0/error").asDouble()).isEqualTo(95.0);
        assertThat(body.at("/alert/last_runs").size()).isEqualTo(3);
        assertThat(body.at("/alert/duration_seconds").isNull()).isTrue();
        assertThat(request.text()).doesNotContain(SECRET);
    }

    @Test
    void theSameNotificationIsTheSameBytesSoARetryKeepsItsSignature() {
        WebhookBody bodies = new WebhookBody(mapper);

        assertThat(bodies.json(Notifications.opened())).isEqualTo(bodies.json(Notifications.opened()));
    }

    @Test
    void aWebhookWithoutASecretSendsNoSignature() throws Exception {
        new WebhookChannel("open", receiver.uri("/"), "", new WebhookBody(mapper), TIMEOUT).send(Notifications.opened());

        assertThat(receiver.next(5).header(WebhookChannel.SIGNATURE_HEADER)).isNull();
    }

    @Test
    void aBusyReceiverIsTriedAgainLaterAndARefusingOneIsNot() {
        WebhookChannel channel = new WebhookChannel("ops", receiver.uri("/"), SECRET, new WebhookBody(mapper), TIMEOUT);

        receiver.answer(503, "down for maintenance");
        assertThatThrownBy(() -> channel.send(Notifications.opened())).isInstanceOfSatisfying(DeliveryException.class,
                e -> {
                    assertThat(e.isPermanent()).isFalse();
                    assertThat(e.getMessage()).contains("webhook 'ops'", "503", "down for maintenance");
                });
        receiver.answer(400, "bad payload");
        assertThatThrownBy(() -> channel.send(Notifications.opened())).isInstanceOfSatisfying(DeliveryException.class,
                e -> assertThat(e.isPermanent()).isTrue());
    }

    @Test
    void anUnreachableOrSlowReceiverFailsWithinTheTimeoutAndNamesNoSecret() throws Exception {
        int closedPort = FreePorts.freePort();
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort + "/hook?token=" + SECRET);
        assertThatThrownBy(() -> new WebhookChannel("ops", nowhere, SECRET, new WebhookBody(mapper), TIMEOUT)
                .send(Notifications.opened()))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.isPermanent()).isFalse();
                    assertThat(e.getMessage()).contains("could not be reached").doesNotContain(SECRET);
                });

        receiver.delay(3_000);
        WebhookChannel slow = new WebhookChannel("slow", receiver.uri("/"), null, new WebhookBody(mapper),
                Duration.ofMillis(500));
        assertThatThrownBy(() -> slow.send(Notifications.opened()))
                .isInstanceOfSatisfying(DeliveryException.class,
                        e -> assertThat(e.getMessage()).contains("did not answer within 500 ms"));
    }

    @Test
    void slackGetsTheHeadlineAsTextAndTheDetailsAsBlocks() throws Exception {
        receiver.answer(200, "ok");

        new SlackChannel("team", receiver.uri("/services/T000/B000/XXXX"), mapper, TIMEOUT).send(Notifications.opened());

        JsonNode message = mapper.readTree(receiver.next(5).body());
        assertThat(message.get("text").asText()).startsWith("ALERT host-a-1 (host-a): disk error");
        assertThat(message.at("/blocks/0/text/type").asText()).isEqualTo("mrkdwn");
        assertThat(message.at("/blocks/1/text/text").asText()).contains("disk: error, 97.1 (warning at 90, error at 95)");
    }

    @Test
    void telegramGetsSendMessageForTheChatAndItsRefusalNamesNoToken() throws Exception {
        TelegramChannel channel = new TelegramChannel("phone", receiver.uri(""), BOT_TOKEN, "-100123", mapper, TIMEOUT);

        channel.send(Notifications.opened());

        Receiver.Request request = receiver.next(5);
        assertThat(request.path()).isEqualTo("/bot" + BOT_TOKEN + "/sendMessage");
        JsonNode message = mapper.readTree(request.body());
        assertThat(message.get("chat_id").asText()).isEqualTo("-100123");
        assertThat(message.get("text").asText()).startsWith("ALERT host-a-1").contains("Last runs (oldest first)");

        receiver.answer(200, "{\"ok\": false, \"description\": \"Bad Request: chat not found\"}");
        assertThatThrownBy(() -> channel.send(Notifications.opened()))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.isPermanent()).isTrue();
                    assertThat(e.getMessage()).contains("chat not found").doesNotContain(BOT_TOKEN);
                });
        receiver.answer(401, "{\"ok\": false, \"description\": \"Unauthorized\"}");
        assertThatThrownBy(() -> channel.send(Notifications.opened()))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.getMessage())
                        .contains("401").doesNotContain(BOT_TOKEN));
    }

    @Test
    void eMailReachesEveryAddressThroughARealSmtpServerWithAuthentication() throws Exception {
        EmailChannel channel = new EmailChannel("oncall",
                new EmailChannel.Smtp("127.0.0.1", smtp.getSmtp().getPort(), EmailChannel.Security.NONE, "alerts",
                        "smtp-password-do-not-log"),
                "vitals@example.com", List.of("oncall@example.com", "lead@example.com"), TIMEOUT);

        channel.send(Notifications.opened());

        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(2); // one delivery per recipient
        MimeMessage message = received[0];
        assertThat(message.getSubject()).startsWith("[Vitals] ALERT host-a-1 (host-a): disk error");
        assertThat(message.getFrom()[0].toString()).isEqualTo("vitals@example.com");
        assertThat(message.getMessageID()).isEqualTo("<" + Notifications.opened().id() + "@vitals>");
        assertThat(((String) message.getContent())).contains("disk: error, 97.1 (warning at 90, error at 95)");
    }

    @Test
    void wrongSmtpCredentialsArePermanentAndNotShown() {
        EmailChannel channel = new EmailChannel("oncall",
                new EmailChannel.Smtp("127.0.0.1", smtp.getSmtp().getPort(), EmailChannel.Security.NONE, "alerts",
                        "a-wrong-password"),
                "vitals@example.com", List.of("oncall@example.com"), TIMEOUT);

        assertThatThrownBy(() -> channel.send(Notifications.opened()))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.isPermanent()).isTrue();
                    assertThat(e.getMessage()).contains("refused the credentials").doesNotContain("a-wrong-password");
                });
    }

    @Test
    void aBadAddressIsRefusedWhenTheChannelIsMade() {
        assertThatThrownBy(() -> new EmailChannel("oncall",
                new EmailChannel.Smtp("127.0.0.1", 25, EmailChannel.Security.STARTTLS, null, null),
                "vitals@example.com", List.of("not an address"), TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'not an address'");
    }
}
