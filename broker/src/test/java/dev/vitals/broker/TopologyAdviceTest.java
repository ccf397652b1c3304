package dev.vitals.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-line advice about queues and exchanges that exist otherwise than Vitals declares them. */
class TopologyAdviceTest {

    private static Inequivalence refused(String text) {
        return Inequivalence.parse("PRECONDITION_FAILED - " + text).orElseThrow();
    }

    @Test
    void aClassicTaskQueueIsNamedWithBothTypesAndWhatToDo() {
        String line = TopologyAdvice.conflict(refused("inequivalent arg 'x-queue-type' for queue 'maintenance_tasks' in"
                + " vhost '/': received the value 'quorum' of type 'longstr' but current is none"));

        assertThat(line).isEqualTo("queue 'maintenance_tasks' in vhost '/' exists with x-queue-type=classic; Vitals"
                + " declares x-queue-type=quorum. A queue's arguments cannot change: delete it once empty (rabbitmqctl"
                + " delete_queue maintenance_tasks) or give Vitals another vhost");
    }

    @Test
    void theDeleteCommandNamesAVhostOtherThanTheDefault() {
        String line = TopologyAdvice.conflict(refused("inequivalent arg 'x-queue-type' for queue 'maintenance_tasks' in"
                + " vhost 'ops': received 'quorum' but current is 'stream'"));

        assertThat(line).contains("exists with x-queue-type=stream; Vitals declares x-queue-type=quorum")
                .contains("rabbitmqctl delete_queue -p ops maintenance_tasks");
    }

    @Test
    void anExchangeOfAnotherTypeIsNamedWithBothTypes() {
        String line = TopologyAdvice.conflict(refused("inequivalent arg 'type' for exchange 'vitals.events' in vhost '/':"
                + " received 'topic' but current is 'direct'"));

        assertThat(line).startsWith("exchange 'vitals.events' in vhost '/' exists with type=direct; Vitals declares"
                + " type=topic. An exchange's type and durability cannot change: delete it")
                .contains("rabbitmqadmin --vhost=/ delete exchange name=vitals.events");
    }

    @Test
    void aPolicyCommandQuotesTheNameAsARegexAndWritesTheLimitsAsJson() {
        String command = TopologyAdvice.policyCommand("/", "maintenance_tasks.dead", Map.of("x-max-length", 10000,
                "x-overflow", "reject-publish", "x-queue-type", "quorum"));

        assertThat(command).isEqualTo("rabbitmqctl set_policy -p / vitals-maintenance_tasks.dead"
                + " '^maintenance_tasks\\.dead$' '{\"max-length\":10000,\"overflow\":\"reject-publish\"}' --apply-to queues");
    }

    @Test
    void aQueueWithoutVitalsLimitsIsUsedAsItIsWithTheirConsequencesAndThePolicyThatGivesThem() {
        String line = TopologyAdvice.adjusted("/", "maintenance_tasks",
                Map.of("x-queue-type", "quorum", "x-delivery-limit", 5, "x-max-length", 100000,
                        "x-overflow", "reject-publish", "x-dead-letter-exchange", "vitals.dead-letter"),
                Map.of("x-queue-type", "quorum", "x-max-length", 50)).orElseThrow();

        assertThat(line).startsWith("queue 'maintenance_tasks' in vhost '/' exists with other arguments than Vitals"
                        + " declares: x-dead-letter-exchange unset (Vitals: vitals.dead-letter), x-delivery-limit unset"
                        + " (Vitals: 5), x-max-length=50 (Vitals: 100000), x-overflow unset (Vitals: reject-publish);"
                        + " using it as it is")
                .contains("a task that fails on every worker is redelivered forever")
                .contains("a full queue drops its oldest tasks instead of refusing new ones")
                .contains("rabbitmqctl set_policy -p / vitals-maintenance_tasks '^maintenance_tasks$'"
                        + " '{\"dead-letter-exchange\":\"vitals.dead-letter\",\"delivery-limit\":5,"
                        + "\"overflow\":\"reject-publish\"}' --apply-to queues")
                .contains("(x-max-length=50) prevails over a policy");
        assertThat(TopologyAdvice.losesSafety(Map.of("x-delivery-limit", 5), Map.of())).isTrue();
    }

    @Test
    void aQueueWithArgumentsLeftToAPolicyNowIsUsedAsItIsWithoutAlarm() {
        Map<String, Object> declared = Map.of("x-queue-type", "quorum");
        Map<String, Object> kept = Map.of("x-queue-type", "quorum", "x-delivery-limit", 5);

        String line = TopologyAdvice.adjusted("/", "maintenance_tasks", declared, kept).orElseThrow();

        assertThat(line).contains("x-delivery-limit=5 (Vitals: unset)").contains("delete the queue once empty")
                .doesNotContain("set_policy");
        assertThat(TopologyAdvice.losesSafety(declared, kept)).isFalse();
    }

    @Test
    void sameArgumentsNeedNoAdvice() {
        assertThat(TopologyAdvice.adjusted("/", "q", Map.of("x-max-length", 5), Map.of("x-max-length", 5))).isEmpty();
    }

    @Test
    void thePoliciesOfTheSharedQueuesCarryVitalsLimitsForTheConfiguredVhost() {
        Topology topology = new Topology(BrokerFailuresTest.settings(java.net.URI.create("amqp://guest:guest@localhost/ops"),
                Map.of("vitals.broker.queue-limits", "policy")));

        assertThat(topology.limitsLeftToPolicies()).isTrue();
        assertThat(topology.taskQueueArguments()).containsExactly(Map.entry("x-queue-type", "quorum"));
        assertThat(topology.policyCommands()).containsExactly(
                "rabbitmqctl set_policy -p ops vitals-maintenance_tasks '^maintenance_tasks$' '{\"dead-letter-exchange\":"
                        + "\"vitals.dead-letter\",\"delivery-limit\":5,\"max-length\":100000,\"overflow\":\"reject-publish\"}'"
                        + " --apply-to queues",
                "rabbitmqctl set_policy -p ops vitals-maintenance_tasks.dead '^maintenance_tasks\\.dead$'"
                        + " '{\"max-length\":10000}' --apply-to queues");
    }
}
