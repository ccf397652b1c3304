package dev.vitals.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HandBackDelayTest {

    @Test
    void theDelayDoublesFromATenthOfASecondWithFailuresInARowUpToFiveSeconds() {
        assertThat(TaskConsumer.handBackDelay(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(TaskConsumer.handBackDelay(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(TaskConsumer.handBackDelay(5)).isEqualTo(Duration.ofMillis(1600));
        assertThat(TaskConsumer.handBackDelay(7)).isEqualTo(TaskConsumer.MOST_HAND_BACK_DELAY);
        assertThat(TaskConsumer.handBackDelay(1_000)).isEqualTo(Duration.ofSeconds(5));
    }
}
