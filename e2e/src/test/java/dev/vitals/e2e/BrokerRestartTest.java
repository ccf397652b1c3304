package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.testing.FreePorts;
import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitCluster;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RabbitMQ itself restarted in the middle of load: a one-node broker of the test's own (the machine's broker is not
 * disturbed), stopped as an operator stops it and started again. The API says it is not ready while the broker is
 * away, refuses POSTs with {@code 503} and {@code Retry-After} meanwhile, and every task it answered {@code 202}
 * for ends completed once the broker is back.
 */
@Tag("faults")
class BrokerRestartTest {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    @Test
    void everyAcceptedTaskEndsAfterTheBrokerIsRestartedUnderLoad() throws Exception {
        try (RabbitCluster broker = RabbitCluster.start(1)) {
            String vhost = "vitals-restart-" + UUID.randomUUID();
            broker.createVhost(vhost);
            RabbitCluster.Node node = broker.nodes().getFirst();
            URI uri = broker.uri(node, vhost);
            int port = FreePorts.freePort();
            String base = "http://127.0.0.1:" + port;
            try (JavaProcess api = Rig.api(uri, postgres.jdbcUrl(), port, "broker-restart-api");
                 JavaProcess worker = Rig.worker(uri, "broker-restart-w", FreePorts.freePort(), Map.of())) {
                Rig.awaitReady(base);
                Rig.awaitConsuming(worker);
                ReadinessWatch readiness = new ReadinessWatch(base);
                FaultLoad.Outcome outcome = FaultLoad.run(base, 8, 1_500, 300, () -> {
                    readiness.start();
                    broker.stop(node);
                    sleep(Duration.ofSeconds(2));
                    broker.start(node);
                });
                readiness.stopAndAwaitReady(Duration.ofSeconds(60));

                assertThat(readiness.sawNotReady()).as("/health/ready said 503 while the broker was away").isTrue();
                outcome.assertAnsweredWith202Or503();
                Map<String, List<String>> endings = FaultLoad.endings(base, outcome.accepted(), Duration.ofSeconds(30));
                assertThat(endings.keySet()).as("statuses of the %d tasks answered 202 (%d refused with 503): %s",
                        outcome.accepted().size(), outcome.refused(), FaultLoad.summary(endings))
                        .containsExactly("completed");
                System.out.printf("broker restart: %d accepted, %d refused with 503, not ready for %d ms%n",
                        outcome.accepted().size(), outcome.refused(), readiness.longestNotReady().toMillis());
            }
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
