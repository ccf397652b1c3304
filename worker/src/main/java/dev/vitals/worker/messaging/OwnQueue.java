package dev.vitals.worker.messaging;

import com.rabbitmq.client.Channel;
import dev.vitals.broker.BrokerConnection;
import dev.vitals.broker.Declaration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's own queue, {@code maintenance_tasks.worker.<id>} (tasks that target it by id or {@code all}), and
 * the consumer that takes them, on a channel of their own.
 *
 * <p>A classic queue lives on one broker node. When that node dies, the client's recovery moves the connection to
 * another node but cannot declare the queue there (the broker answers that its home node is down), and the
 * channel closes. That loses only this consumer: the shared queue goes on, on its own channel. {@link #keepConsuming}
 * tries again (the worker calls it with every heartbeat), so the worker takes its own tasks again once the node is
 * back, or at once with a quorum queue.
 */
public final class OwnQueue {

    private static final Logger log = LoggerFactory.getLogger(OwnQueue.class);

    private final BrokerConnection connection;
    private final Declaration.Queue declaration;
    private final Function<Channel, TaskConsumer> consumers;
    private final String consumerTag;
    private final int prefetch;
    private volatile @Nullable TaskConsumer consumer;
    private volatile boolean stopping;
    private String lastProblem = "";

    /**
     * @param consumers makes the consumer for a channel
     */
    public OwnQueue(BrokerConnection connection, Declaration.Queue declaration,
                    Function<Channel, TaskConsumer> consumers, String consumerTag, int prefetch) {
        this.connection = connection;
        this.declaration = declaration;
        this.consumers = consumers;
        this.consumerTag = consumerTag;
        this.prefetch = prefetch;
    }

    /** Declares the queue on a channel of its own and consumes it there. */
    public synchronized void start() throws IOException {
        Channel channel = connection.declareOnChannelOfItsOwn(List.of(declaration));
        TaskConsumer started = consumers.apply(channel);
        started.start(declaration.name(), consumerTag, prefetch);
        consumer = started;
    }

    /** True while the queue is consumed. */
    public boolean isConsuming() {
        TaskConsumer current = consumer;
        return current != null && current.isOpen();
    }

    /**
     * Starts consuming again when the consumer's channel was closed while the connection is open; says once what
     * keeps it from it, and once when it consumes again.
     */
    public synchronized void keepConsuming() {
        if (stopping || isConsuming() || !connection.isConnected()) {
            return;
        }
        try {
            start();
            log.info("Consuming {} again", declaration.name());
            lastProblem = "";
        } catch (IOException | RuntimeException e) {
            String problem = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!problem.equals(lastProblem)) {
                log.warn("Cannot consume {} (tasks that target this worker wait there; shared tasks are still"
                        + " taken): {}. Trying again with every heartbeat", declaration.name(), problem);
                lastProblem = problem;
            }
        }
    }

    /**
     * Stops taking tasks from the queue and waits for the ones in hand.
     *
     * @return true when every task in hand was finished within {@code timeout}
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        stopping = true;
        TaskConsumer current = consumer;
        return current == null || current.stop(timeout);
    }
}
