package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitCluster;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Vitals on a RabbitMQ cluster of three nodes of the test's own, the production set-up README describes: API and
 * workers list every node ({@code RABBITMQ_URIS}), {@code maintenance_tasks} and the API's events queue are quorum
 * queues on all three. The node that leads {@code maintenance_tasks} is killed with SIGKILL while 16 clients submit
 * 2,000 tasks: every task answered {@code 202} ends completed and is stored once, a POST during the failover is
 * at worst refused with {@code 503} and {@code Retry-After}, and the API is ready again within 15 s.
 */
@Tag("faults")
class ClusterFailoverTest {

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final int CLIENTS = 16;
    private static final int TASKS = 2_000;
    private static final Duration READY_AGAIN_WITHIN = Duration.ofSeconds(15);
    private static final Map<String, String> QUORUM_OWN_QUEUE = Map.of("vitals.worker.own-queue-type", "quorum");

    private static RabbitCluster cluster;
    private static final String VHOST = "vitals-cluster-" + UUID.randomUUID();

    @BeforeAll
    static void startCluster() {
        cluster = RabbitCluster.start(3);
        cluster.createVhost(VHOST);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killingTheLeaderOfTheTaskQueueLosesNoAcceptedTask() throws Exception {
        URI first = cluster.uri(cluster.nodes().getFirst(), VHOST);
        Map<String, String> onEveryNode = Map.of("RABBITMQ_URIS", cluster.uris(VHOST));
        int port = FreePorts.freePort();
        String base = "http://127.0.0.1:" + port;
        // The API starts alone and declares the queues first, so their leaders are on the node it is connected to
        // (RabbitMQ places a new quorum queue's leader on the declaring client's node): killing the leader then
        // also cuts the API's connection, and both its publishing and its consuming must fail over.
        try (JavaProcess api = Rig.api(first, postgres.jdbcUrl(), port, "cluster-api", onEveryNode,
                Map.of("vitals.api.events-queue-type", "quorum"));
             JavaProcess worker1 = startedAfter(base, "cluster-w1", first, onEveryNode);
             JavaProcess worker2 = Rig.worker(first, "cluster-w2", FreePorts.freePort(), QUORUM_OWN_QUEUE, onEveryNode)) {
            Rig.awaitConsuming(worker1);
            Rig.awaitConsuming(worker2);
            assertThat(cluster.membersOf(VHOST, "maintenance_tasks")).as("replicas of maintenance_tasks").hasSize(3);
            assertThat(cluster.membersOf(VHOST, "vitals.api.events")).as("replicas of the API's events queue")
                    .hasSize(3);

            RabbitCluster.Node leader = cluster.leaderOf(VHOST, "maintenance_tasks");
            ReadinessWatch readiness = new ReadinessWatch(base);
            FaultLoad.Outcome outcome = FaultLoad.run(base, CLIENTS, TASKS, TASKS / 4, () -> {
                readiness.start();
                cluster.kill(leader);
            });
            Duration notReady = readiness.stopAndAwaitReady(Duration.ofSeconds(60));
            assertThat(api.outputText()).as("the API was connected to the node killed, and lost it")
                    .contains("Lost the broker connection");

            outcome.assertAnsweredWith202Or503();
            Map<String, List<String>> endings = FaultLoad.endings(base, outcome.accepted(), Duration.ofSeconds(30));
            assertThat(endings.keySet()).as("statuses of the %d tasks answered 202 (%d refused with 503): %s",
                    outcome.accepted().size(), outcome.refused(), FaultLoad.summary(endings))
                    .containsExactly("completed");
            assertThat(storedOnce(outcome.accepted())).as("tasks stored once, with one report").isTrue();
            assertThat(readiness.longestNotReady()).as("longest time /health/ready answered other than 200")
                    .isLessThanOrEqualTo(READY_AGAIN_WITHIN);
            assertThat(notReady).isLessThanOrEqualTo(READY_AGAIN_WITHIN);
            System.out.printf("cluster failover: %d accepted, %d refused with 503, longest not ready %d ms,"
                            + " killed %s%n", outcome.accepted().size(), outcome.refused(),
                    readiness.longestNotReady().toMillis(), leader);

            JsonNode all = Rig.json(Rig.post(base + "/api/v1/health-checks?wait=30", "{\"target\": \"all\"}"));
            assertThat(all.path("status").asText()).as("a task for all workers while %s is down: %s", leader, all)
                    .isEqualTo("completed");
            assertThat(all.path("result").path("reports")).as("reports of both workers").hasSize(2);

            cluster.start(leader);
            assertThat(cluster.membersOf(VHOST, "maintenance_tasks")).as("replicas after the node came back")
                    .hasSize(3);
            String after = Rig.submit(base, "{}");
            assertThat(FaultLoad.endings(base, java.util.Set.of(after), Duration.ofSeconds(30)))
                    .containsOnlyKeys("completed");
        }
    }

    /** Waits until the API is ready, then starts a worker. */
    private static JavaProcess startedAfter(String base, String workerId, URI broker, Map<String, String> environment)
            throws Exception {
        Rig.awaitReady(base);
        return Rig.worker(broker, workerId, FreePorts.freePort(), QUORUM_OWN_QUEUE, environment);
    }

    /** True when each task is one completed row of the store with at most one stored report. */
    private static boolean storedOnce(java.util.Set<String> taskIds) throws Exception {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl());
             PreparedStatement count = connection.prepareStatement("select (select count(*) from tasks t where"
                     + " t.task_id = ? and t.status = 'completed'), (select count(*) from task_reports r where"
                     + " r.task_id = ?)")) {
            for (String taskId : taskIds) {
                count.setObject(1, UUID.fromString(taskId));
                count.setObject(2, UUID.fromString(taskId));
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) != 1 || rows.getInt(2) > 1) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
