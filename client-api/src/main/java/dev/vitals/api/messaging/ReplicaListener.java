package dev.vitals.api.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.vitals.api.task.TaskWaiters;
import dev.vitals.broker.BrokerConnection;
import dev.vitals.broker.Topology;
import dev.vitals.model.event.EventType;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every API replica must hear for itself, on a queue of its own (server-named, exclusive,
 * auto-delete: it lives as long as the replica's connection):
 *
 * <ul>
 *   <li>{@code task.completed}, {@code task.failed} and every dead letter: a task may have ended, so its
 *       waiters on this replica re-read it ({@link TaskWaiters#hint}). The shared consumer that stores the
 *       change may run on another replica, and later; the waiters allow for that.</li>
 * </ul>
 * Messages are taken without acknowledgement: each is only a hint, and a lost one costs a waiter a
 * later re-read.
 */
public final class ReplicaListener implements BrokerClient {

    private static final Logger log = LoggerFactory.getLogger(ReplicaListener.class);

    private final TaskWaiters waiters;
    private final ObjectMapper mapper;
    private volatile @Nullable Channel channel;

    public ReplicaListener(TaskWaiters waiters, ObjectMapper mapper) {
        this.waiters = waiters;
        this.mapper = mapper;
    }

    @Override
    public void start(BrokerConnection connection) throws IOException {
        Channel opened = connection.createChannel();
        String queue = opened.queueDeclare().getQueue();
        opened.queueBind(queue, Topology.EVENTS_EXCHANGE, EventType.TASK_COMPLETED.routingKey());
        opened.queueBind(queue, Topology.EVENTS_EXCHANGE, EventType.TASK_FAILED.routingKey());
        opened.queueBind(queue, Topology.DEAD_LETTER_EXCHANGE, "");
        opened.basicConsume(queue, true, new DefaultConsumer(opened) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                    byte[] body) {
                try {
                    handle(envelope, properties, body);
                } catch (RuntimeException e) {
                    log.debug("Ignoring a message on this replica's queue (routing key {}): {}",
                            envelope.getRoutingKey(), e.getMessage());
                }
            }
        });
        channel = opened;
    }

    @Override
    public void stop() {
        Channels.close(channel);
        channel = null;
    }

    void handle(Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        if (Topology.DEAD_LETTER_EXCHANGE.equals(envelope.getExchange())) {
            Messages.taskIdOf(mapper, properties, body).ifPresent(waiters::hint);
        } else {
            waiters.hint(Messages.eventTaskId(mapper, properties, body));
        }
    }
}
