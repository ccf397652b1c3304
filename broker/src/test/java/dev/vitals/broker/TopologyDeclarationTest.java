package dev.vitals.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.vitals.testing.RabbitMqExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The topology declared on a real broker where some of it already exists otherwise: a queue of another type or
 * durability, or an exchange of another type, is refused in one line that says what to do; a queue with other
 * limits is used as it is, with the policy that gives it Vitals' limits.
 */
class TopologyDeclarationTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private static final Map<String, Object> QUORUM = Map.of("x-queue-type", "quorum");

    private static BrokerSettings settings(String queueLimits) {
        return BrokerFailuresTest.settings(rabbit.uri(), Map.of("vitals.broker.queue-limits", queueLimits,
                "vitals.broker.reconnect-interval", "50ms", "vitals.broker.max-reconnect-interval", "200ms"));
    }

    private static BrokerConnection connect(BrokerSettings settings) throws Exception {
        return BrokerConnection.open(settings, "topology-test", () -> false);
    }

    @AfterEach
    void removeTheTopology() throws Exception {
        try (Connection connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
            for (String queue : List.of(Topology.TASK_QUEUE, Topology.DEAD_LETTER_QUEUE)) {
                channel.queueDelete(queue);
            }
            channel.exchangeDelete(Topology.EVENTS_EXCHANGE);
            channel.exchangeDelete(Topology.DEAD_LETTER_EXCHANGE);
        }
    }

    private static void existing(String queue, boolean durable, Map<String, Object> arguments) throws Exception {
        try (Connection connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDeclare(queue, durable, false, false, arguments);
        }
    }

    /** Whether the queue has exactly these arguments: the broker accepts a declaration with them only then. */
    private static boolean hasArguments(String queue, Map<String, Object> arguments) throws Exception {
        try (Connection connection = rabbit.newConnection()) {
            Channel channel = connection.createChannel();
            try {
                channel.queueDeclare(queue, true, false, false, arguments);
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Test
    void newQueuesGetTheirLimitsAsArgumentsByDefault() throws Exception {
        BrokerSettings settings = settings("arguments");
        try (BrokerConnection connection = connect(settings)) {
            assertThat(connection.declare(new Topology(settings))).isEmpty();
        }

        assertThat(hasArguments(Topology.TASK_QUEUE, new Topology(settings).taskQueueArguments())).isTrue();
        assertThat(hasArguments(Topology.TASK_QUEUE, Map.of("x-queue-type", "quorum", "x-delivery-limit", 5,
                "x-max-length", 100000, "x-overflow", "reject-publish", "x-dead-letter-exchange", "vitals.dead-letter")))
                .isTrue();
    }

    @Test
    void withLimitsLeftToAPolicyNewQueuesGetTheirTypeAlone() throws Exception {
        BrokerSettings settings = settings("policy");
        try (BrokerConnection connection = connect(settings)) {
            assertThat(connection.declare(new Topology(settings))).isEmpty();
        }

        assertThat(hasArguments(Topology.TASK_QUEUE, QUORUM)).isTrue();
        assertThat(hasArguments(Topology.DEAD_LETTER_QUEUE, QUORUM)).isTrue();
    }

    @Test
    void aClassicTaskQueueIsRefusedInOneLineNamingBothTypesAndWhatToDo() throws Exception {
        existing(Topology.TASK_QUEUE, true, Map.of());
        BrokerSettings settings = settings("arguments");

        try (BrokerConnection connection = connect(settings)) {
            assertThatThrownBy(() -> connection.declare(new Topology(settings)))
                    .isInstanceOf(TopologyConflictException.class)
                    .hasMessage("queue 'maintenance_tasks' in vhost '" + rabbit.vhost() + "' exists with x-queue-type=classic;"
                            + " Vitals declares x-queue-type=quorum. A queue's arguments cannot change: delete it once empty"
                            + " (rabbitmqctl delete_queue -p " + rabbit.vhost() + " maintenance_tasks) or give Vitals another vhost");

            removeQueue(Topology.TASK_QUEUE);
            assertThat(connection.declare(new Topology(settings))).as("declared again on a fresh channel").isEmpty();
        }
        assertThat(hasArguments(Topology.TASK_QUEUE, new Topology(settings).taskQueueArguments())).isTrue();
    }

    @Test
    void aQueueThatIsNotDurableIsRefused() throws Exception {
        existing(Topology.TASK_QUEUE, false, Map.of());
        BrokerSettings settings = settings("arguments");

        try (BrokerConnection connection = connect(settings)) {
            assertThatThrownBy(() -> connection.declare(new Topology(settings)))
                    .isInstanceOf(TopologyConflictException.class)
                    .hasMessageStartingWith("queue 'maintenance_tasks' in vhost '" + rabbit.vhost()
                            + "' exists with durable=false; Vitals declares durable=true.");
        }
    }

    @Test
    void anExchangeOfAnotherTypeIsRefusedNamingBothTypes() throws Exception {
        try (Connection connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
            channel.exchangeDeclare(Topology.EVENTS_EXCHANGE, "direct", true);
        }
        BrokerSettings settings = settings("arguments");

        try (BrokerConnection connection = connect(settings)) {
            assertThatThrownBy(() -> connection.declare(new Topology(settings)))
                    .isInstanceOf(TopologyConflictException.class)
                    .hasMessageStartingWith("exchange 'vitals.events' in vhost '" + rabbit.vhost()
                            + "' exists with type=direct; Vitals declares type=topic.");
        }
    }

    @Test
    void aTaskQueueWithOtherLimitsIsUsedAsItIsAndThePolicyThatGivesTheRestIsNamed() throws Exception {
        existing(Topology.TASK_QUEUE, true, Map.of("x-queue-type", "quorum", "x-max-length", 50));
        BrokerSettings settings = settings("arguments");

        List<String> adjusted;
        try (BrokerConnection connection = connect(settings)) {
            adjusted = connection.declare(new Topology(settings));
        }

        assertThat(adjusted).singleElement().asString()
                .startsWith("queue 'maintenance_tasks' in vhost '" + rabbit.vhost() + "' exists with other arguments")
                .contains("x-delivery-limit unset (Vitals: 5)", "x-max-length=50 (Vitals: 100000)",
                        "a task that fails on every worker is redelivered forever",
                        "rabbitmqctl set_policy -p " + rabbit.vhost() + " vitals-maintenance_tasks");
        assertThat(hasArguments(Topology.TASK_QUEUE, Map.of("x-queue-type", "quorum", "x-max-length", 50)))
                .as("the queue is as it was").isTrue();
    }

    @Test
    void queuesDeclaredWithTheirLimitsByAnEarlierVersionKeepWorkingWhenLimitsAreLeftToAPolicy() throws Exception {
        BrokerSettings before = settings("arguments");
        try (BrokerConnection connection = connect(before)) {
            connection.declare(new Topology(before));
        }
        BrokerSettings after = settings("policy");

        List<String> adjusted;
        try (BrokerConnection connection = connect(after)) {
            adjusted = connection.declare(new Topology(after));
        }

        assertThat(adjusted).hasSize(2);
        assertThat(adjusted.get(1)).contains("x-delivery-limit=5 (Vitals: unset)", "delete the queue once empty");
        assertThat(hasArguments(Topology.TASK_QUEUE, new Topology(before).taskQueueArguments())).isTrue();
    }

    @Test
    void aProcessKeepsTryingWhileTheTaskQueueConflictsAndIsReadyOnceItIsRemoved() throws Exception {
        existing(Topology.TASK_QUEUE, true, Map.of());
        BrokerSettings settings = settings("arguments");
        BrokerStatus status = new BrokerStatus(settings.safeUri());
        AtomicBoolean keepTrying = new AtomicBoolean(true);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger logger = (Logger) LoggerFactory.getLogger(BrokerConnection.class);
        logger.addAppender(logged);
        CompletableFuture<BrokerConnection> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return BrokerConnection.openAndSetUp(settings, "retrying", keepTrying::get, null, status, connection -> {
                    connection.declare(new Topology(settings));
                    return connection;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> status.reason().contains("exists with x-queue-type=classic"));
            assertThat(status.isReady()).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> logged.list.stream().anyMatch(e -> e.getLevel() == Level.ERROR));
            ILoggingEvent error = logged.list.stream().filter(e -> e.getLevel() == Level.ERROR).findFirst().orElseThrow();
            assertThat(error.getFormattedMessage()).startsWith("queue 'maintenance_tasks' in vhost")
                    .endsWith("; retrying in 50 ms").doesNotContain("\n");
            assertThat(error.getThrowableProxy()).as("no stack trace").isNull();

            removeQueue(Topology.TASK_QUEUE);

            try (BrokerConnection connection = ready.get(20, TimeUnit.SECONDS)) {
                assertThat(status.isReady()).isTrue();
                assertThat(status.reason()).isEqualTo("ready");
            }
            assertThat(logged.list.stream().filter(e -> e.getLevel() == Level.ERROR).count())
                    .as("the same reason is logged once, not at every retry").isEqualTo(1);
        } finally {
            keepTrying.set(false);
            logger.detachAppender(logged);
        }
    }

    private static void removeQueue(String queue) throws Exception {
        try (Connection connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDelete(queue);
        }
    }

}
