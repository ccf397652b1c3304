package dev.vitals.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The broker's PRECONDITION_FAILED texts, as RabbitMQ words them, read into their parts. */
class InequivalenceTest {

    private static final String PREFIX = "PRECONDITION_FAILED - ";

    @Test
    void readsAnArgumentTheExistingQueueLacks() {
        Inequivalence refused = Inequivalence.parse(PREFIX + "inequivalent arg 'x-queue-type' for queue 'maintenance_tasks'"
                + " in vhost '/': received the value 'quorum' of type 'longstr' but current is none").orElseThrow();

        assertThat(refused.argument()).isEqualTo("x-queue-type");
        assertThat(refused.kind()).isEqualTo("queue");
        assertThat(refused.name()).isEqualTo("maintenance_tasks");
        assertThat(refused.vhost()).isEqualTo("/");
        assertThat(refused.received()).contains(new Inequivalence.Value("quorum", "longstr"));
        assertThat(refused.current()).isEmpty();
        assertThat(refused.isProperty()).isFalse();
    }

    @Test
    void readsAnArgumentTheDeclarationLacks() {
        Inequivalence refused = Inequivalence.parse(PREFIX + "inequivalent arg 'x-max-length' for queue 'q10' in vhost"
                + " 'vitals-test-1': received none but current is the value '10' of type 'signedint'").orElseThrow();

        assertThat(refused.received()).isEmpty();
        assertThat(refused.current()).contains(new Inequivalence.Value("10", "signedint"));
        assertThat(refused.currentValueLike(null)).contains(10);
    }

    @Test
    void readsTwoValuesPrintedWithoutTheirTypes() {
        Inequivalence refused = Inequivalence.parse(PREFIX + "inequivalent arg 'x-queue-type' for queue 'maintenance_tasks'"
                + " in vhost '/': received 'quorum' but current is 'classic'").orElseThrow();

        assertThat(refused.received()).contains(new Inequivalence.Value("quorum", null));
        assertThat(refused.current()).contains(new Inequivalence.Value("classic", null));
    }

    @Test
    void readsAnExchangeOfAnotherType() {
        Inequivalence refused = Inequivalence.parse(PREFIX + "inequivalent arg 'type' for exchange 'vitals.events' in vhost"
                + " '/': received 'topic' but current is 'direct'").orElseThrow();

        assertThat(refused.kind()).isEqualTo("exchange");
        assertThat(refused.name()).isEqualTo("vitals.events");
        assertThat(refused.isProperty()).isTrue();
    }

    @Test
    void readsADurabilityThatDiffers() {
        Inequivalence refused = Inequivalence.parse(PREFIX + "inequivalent arg 'durable' for queue 'maintenance_tasks' in"
                + " vhost '/': received 'true' but current is 'false'").orElseThrow();

        assertThat(refused.argument()).isEqualTo("durable");
        assertThat(refused.isProperty()).isTrue();
        assertThat(refused.current()).contains(new Inequivalence.Value("false", null));
    }

    @Test
    void aBareCurrentValueTakesTheTypeOfWhatWasDeclared() {
        Inequivalence refused = Inequivalence.parse(PREFIX + "inequivalent arg 'x-delivery-limit' for queue 'q' in vhost"
                + " '/': received '5' but current is '10'").orElseThrow();

        assertThat(refused.currentValueLike(5)).contains(10);
        assertThat(refused.currentValueLike("5")).contains("10");
        assertThat(refused.currentValueLike(null)).isEmpty();
    }

    @Test
    void aValueOfATypeThatCannotBeDeclaredBackIsNotOffered() {
        Inequivalence refused = Inequivalence.parse(PREFIX + "inequivalent arg 'x-thing' for queue 'q' in vhost '/':"
                + " received none but current is the value '[1,2]' of type 'array'").orElseThrow();

        assertThat(refused.currentValueLike(null)).isEmpty();
    }

    @Test
    void otherTextsAreNotInequivalences() {
        assertThat(Inequivalence.parse("PRECONDITION_FAILED - queue 'q' in vhost '/' in use")).isEqualTo(Optional.empty());
        assertThat(Inequivalence.parse("")).isEmpty();
    }
}
