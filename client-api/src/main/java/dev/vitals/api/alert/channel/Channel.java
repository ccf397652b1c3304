package dev.vitals.api.alert.channel;

import dev.vitals.api.alert.Notification;

/**
 * Somewhere notifications go: a webhook, a Slack channel, a Telegram chat, mailboxes. A send either
 * delivers or throws; it never waits longer than the channel's timeout.
 */
public interface Channel {

    /** The name the configuration gives it, as {@code GET /api/v1/alerts} shows it. */
    String name();

    /** {@code webhook}, {@code slack}, {@code telegram} or {@code email}. */
    String type();

    /**
     * Delivers one notification.
     *
     * @throws DeliveryException when the receiver could not be reached or refused it; its message says why
     *                           without any secret of the channel
     */
    void send(Notification notification) throws DeliveryException;
}
