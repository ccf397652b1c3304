package dev.vitals.api.alert.channel;

import dev.vitals.api.alert.Notification;
import dev.vitals.api.alert.NotificationText;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Mails each notification over SMTP: the headline as the subject, the details as a plain-text body.
 * The {@code Message-ID} is derived from the notification's id, so that a retry of a message the server
 * took after all shows as the same message.
 */
public final class EmailChannel implements Channel {

    /** How the connection to the SMTP server is secured. */
    public enum Security {
        /** Plain SMTP; no encryption (a relay on the same machine). */
        NONE,
        /** Plain SMTP upgraded with STARTTLS, which the server must offer (port 587). */
        STARTTLS,
        /** TLS from the first byte (SMTPS, port 465). */
        TLS
    }

    /**
     * An SMTP server and how to reach it.
     *
     * @param username empty or null: no authentication
     */
    public record Smtp(String host, int port, Security security, @Nullable String username,
                       @Nullable String password) {

        @Override
        public String toString() {
            return host + ":" + port + " (" + security.name().toLowerCase(java.util.Locale.ROOT)
                    + (username == null || username.isEmpty() ? "" : ", as " + username) + ")";
        }
    }

    private final String name;
    private final Smtp smtp;
    private final InternetAddress from;
    private final InternetAddress[] to;
    private final Session session;

    /**
     * @throws IllegalArgumentException when {@code from} or an address of {@code to} is not an e-mail address
     */
    public EmailChannel(String name, Smtp smtp, String from, List<String> to, Duration timeout) {
        this.name = name;
        this.smtp = smtp;
        this.from = address(from);
        this.to = to.stream().map(EmailChannel::address).toArray(InternetAddress[]::new);
        this.session = Session.getInstance(properties(smtp, timeout), authenticator(smtp));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return "email";
    }

    @Override
    public void send(Notification notification) throws DeliveryException {
        try {
            MimeMessage message = new IdentifiedMessage(session, "<" + notification.id() + "@vitals>");
            message.setFrom(from);
            message.setRecipients(Message.RecipientType.TO, to);
            message.setSubject("[Vitals] " + NotificationText.headline(notification), StandardCharsets.UTF_8.name());
            message.setText(String.join("\n", NotificationText.details(notification)) + "\n",
                    StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(notification.createdAt()));
            Transport.send(message);
        } catch (jakarta.mail.AuthenticationFailedException e) {
            throw new DeliveryException("SMTP server " + smtp.host() + ":" + smtp.port()
                    + " refused the credentials of channel '" + name + "'", true);
        } catch (jakarta.mail.SendFailedException e) {
            throw new DeliveryException("SMTP server " + smtp.host() + ":" + smtp.port()
                    + " refused the message: " + e.getMessage(), false);
        } catch (MessagingException e) {
            throw new DeliveryException("cannot send through SMTP server " + smtp.host() + ":" + smtp.port() + ": "
                    + rootMessage(e), false);
        }
    }

    private static Properties properties(Smtp smtp, Duration timeout) {
        Properties properties = new Properties();
        String protocol = smtp.security() == Security.TLS ? "smtps" : "smtp";
        properties.put("mail.transport.protocol", protocol);
        String prefix = "mail." + protocol + ".";
        properties.put(prefix + "host", smtp.host());
        properties.put(prefix + "port", Integer.toString(smtp.port()));
        properties.put(prefix + "connectiontimeout", Long.toString(timeout.toMillis()));
        properties.put(prefix + "timeout", Long.toString(timeout.toMillis()));
        properties.put(prefix + "writetimeout", Long.toString(timeout.toMillis()));
        properties.put(prefix + "auth", Boolean.toString(hasCredentials(smtp)));
        if (smtp.security() == Security.STARTTLS) {
            properties.put(prefix + "starttls.enable", "true");
            properties.put(prefix + "starttls.required", "true");
        }
        if (smtp.security() != Security.NONE) {
            properties.put(prefix + "ssl.checkserveridentity", "true");
        }
        return properties;
    }

    private static @Nullable Authenticator authenticator(Smtp smtp) {
        if (!hasCredentials(smtp)) {
            return null;
        }
        PasswordAuthentication credentials = new PasswordAuthentication(smtp.username(),
                smtp.password() == null ? "" : smtp.password());
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return credentials;
            }
        };
    }

    private static boolean hasCredentials(Smtp smtp) {
        return smtp.username() != null && !smtp.username().isEmpty();
    }

    private static InternetAddress address(String address) {
        try {
            InternetAddress parsed = new InternetAddress(address, true);
            parsed.validate();
            return parsed;
        } catch (AddressException e) {
            throw new IllegalArgumentException("'" + address + "' is not an e-mail address: " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " (" + root.getMessage() + ")");
    }

    @Override
    public String toString() {
        return "e-mail channel '" + name + "' through " + smtp + " to " + to.length + " address(es)";
    }

    /** A message whose {@code Message-ID} is chosen, not made up by the library at each send. */
    private static final class IdentifiedMessage extends MimeMessage {
        private final String messageId;

        IdentifiedMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
