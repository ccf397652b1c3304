package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThatCode;

import com.rabbitmq.client.Channel;
import com.typesafe.config.ConfigFactory;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.broker.Topology;
import dev.vitals.testing.RabbitMqExtension;
import dev.vitals.worker.WorkerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API's tests play workers with client-api's {@link FakeWorker}; here, where both are at hand, its own queue
 * is checked against a real worker's: the broker refuses to declare a queue again with other arguments.
 */
class FakeWorkerQueueTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @Test
    void aRealWorkerDeclaresTheQueueOfAFakeWorkerAsItIs() throws Exception {
        WorkerConfig real = WorkerConfig.from(ConfigFactory.parseMap(Map.of(
                        "vitals.broker.uri", rabbit.uri().toString(),
                        "vitals.worker.id", "played"))
                .withFallback(ConfigFactory.defaultReference()).resolve(), "fake-host");
        new FakeWorker(rabbit.newConnection(), "played", real.broker());

        try (Channel channel = rabbit.newConnection().createChannel()) {
            assertThatCode(() -> channel.queueDeclare(Topology.workerQueue("played"), true, false, false,
                    new Topology(real.broker()).workerQueueArguments(real.ownQueueExpires())))
                    .doesNotThrowAnyException();
        }
    }
}
