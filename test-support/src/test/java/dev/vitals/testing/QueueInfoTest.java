package dev.vitals.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class QueueInfoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheCountsOfAQueueObject() throws Exception {
        String queue = """
                {"arguments":{},"consumers":2,"messages_ready":17,"messages_unacknowledged":3,
                 "name":"maintenance_tasks","vhost":"vitals-test-0a1b2c3d"}""";

        assertThat(QueueInfo.fromJson(JSON.readTree(queue)))
                .contains(new QueueInfo("maintenance_tasks", 17, 3, 2));
    }

    @Test
    void isEmptyForAQueueWhoseStatisticsAreNotCollectedYet() throws Exception {
        String queue = """
                {"arguments":{},"consumers":0,"name":"just_declared","vhost":"vitals-test-0a1b2c3d"}""";

        assertThat(QueueInfo.fromJson(JSON.readTree(queue))).isEmpty();
    }
}
