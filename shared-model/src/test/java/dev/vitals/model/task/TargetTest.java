package dev.vitals.model.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vitals.model.ValidationException;
import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void readsTheTwoReservedWords() {
        assertThat(Target.of("any").isAny()).isTrue();
        assertThat(Target.of("all").isAll()).isTrue();
    }

    @Test
    void readsAWorkerId() {
        Target target = Target.of("host-a.example_1:7");

        assertThat(target.isWorker()).isTrue();
        assertThat(target.value()).isEqualTo("host-a.example_1:7");
    }

    @Test
    void refusesAnIdWithSpacesOrSlashes() {
        assertThatThrownBy(() -> Target.of("../etc")).isInstanceOf(ValidationException.class)
                .hasMessageStartingWith("target: must be 'any', 'all' or a worker id");
        assertThatThrownBy(() -> Target.of("a b")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Target.of("")).isInstanceOf(ValidationException.class);
    }

    @Test
    void refusesAnIdLongerThan128Characters() {
        assertThat(Target.of("a".repeat(128)).isWorker()).isTrue();
        assertThatThrownBy(() -> Target.of("a".repeat(129))).isInstanceOf(ValidationException.class);
    }
}
