package dev.vitals.worker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every message that reaches a queue bound to an exchange, as a test's witness of what was published. */
final class EventTap implements AutoCloseable {

    /** One message as it arrived. */
    record Received(String routingKey, AMQP.BasicProperties properties, String body) {
    }

    private final Channel channel;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private EventTap(Channel channel) {
        this.channel = channel;
    }

    /** Binds a new exclusive queue to {@code exchange} with {@code bindingKey} and starts recording. */
    static EventTap on(Connection connection, String exchange, String bindingKey) throws IOException {
        Channel channel = connection.createChannel();
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, exchange, bindingKey);
        return consuming(channel, queue);
    }

    /** Records what arrives on an existing queue. */
    static EventTap consuming(Channel channel, String queue) throws IOException {
        EventTap tap = new EventTap(channel);
        channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                tap.received.add(new Received(envelope.getRoutingKey(), properties,
                        new String(body, StandardCharsets.UTF_8)));
            }
        });
        return tap;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> withRoutingKey(String routingKey) {
        return received.stream().filter(r -> r.routingKey().equals(routingKey)).toList();
    }

    @Override
    public void close() throws Exception {
        if (channel.isOpen()) {
            channel.close();
        }
    }
}
