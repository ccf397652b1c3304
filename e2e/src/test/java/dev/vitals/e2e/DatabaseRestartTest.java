package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.testing.FreePorts;
import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.PostgresServer;
import dev.vitals.testing.RabbitMqExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL restarted in the middle of load, under two API replicas that share it: a server of the test's own (the
 * machine's is not disturbed), stopped with its connections cut and started again. While it is away, POSTs are
 * refused with {@code 503} and {@code Retry-After} and the reports of tasks already accepted wait on the broker's
 * queue; once it is back they are stored, and every task answered {@code 202} by either replica ends completed.
 */
@Tag("faults")
class DatabaseRestartTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @Test
    void everyAcceptedTaskEndsAfterTheStoreIsRestartedUnderLoad() throws Exception {
        try (PostgresServer database = PostgresServer.start()) {
            int port1 = FreePorts.freePort();
            int port2 = FreePorts.freePort();
            String base1 = "http://127.0.0.1:" + port1;
            String base2 = "http://127.0.0.1:" + port2;
            try (JavaProcess api1 = Rig.api(rabbit.uri(), database.jdbcUrl(), port1, "db-restart-api-1");
                 JavaProcess api2 = Rig.api(rabbit.uri(), database.jdbcUrl(), port2, "db-restart-api-2");
                 JavaProcess worker = Rig.worker(rabbit.uri(), "db-restart-w", FreePorts.freePort(), Map.of())) {
                Rig.awaitReady(base1);
                Rig.awaitReady(base2);
                Rig.awaitConsuming(worker);
                ReadinessWatch readiness = new ReadinessWatch(base1);
                Runnable restart = () -> {
                    readiness.start();
                    database.stop();
                    // longer than the pool's wait for a connection (5 s), so that requests are refused meanwhile
                    BrokerRestartTest.sleep(Duration.ofSeconds(8));
                    database.startServer();
                };
                FaultLoad.Outcome[] outcomes = new FaultLoad.Outcome[2];
                Thread second = Thread.ofPlatform().start(() -> {
                    try {
                        outcomes[1] = FaultLoad.run(base2, 4, 600, 0, () -> { });
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                outcomes[0] = FaultLoad.run(base1, 4, 600, 150, restart);
                second.join(Duration.ofMinutes(5));
                readiness.stopAndAwaitReady(Duration.ofSeconds(60));

                assertThat(readiness.sawNotReady()).as("/health/ready said 503 while the store was away").isTrue();
                Set<String> accepted = new HashSet<>();
                for (FaultLoad.Outcome outcome : outcomes) {
                    assertThat(outcome).as("the second replica's clients finished").isNotNull();
                    outcome.assertAnsweredWith202Or503();
                    accepted.addAll(outcome.accepted());
                }
                Map<String, List<String>> endings = FaultLoad.endings(base2, accepted, Duration.ofSeconds(30));
                assertThat(endings.keySet()).as("statuses of the %d tasks answered 202: %s", accepted.size(),
                        FaultLoad.summary(endings)).containsExactly("completed");
                System.out.printf("database restart: %d accepted, %d and %d refused with 503, not ready for %d ms%n",
                        accepted.size(), outcomes[0].refused(), outcomes[1].refused(),
                        readiness.longestNotReady().toMillis());
            }
        }
    }
}
