package dev.vitals.model.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskIdsTest {

    @Test
    void readsACanonicalUuid() {
        assertThat(TaskIds.parse("5f0c8a2e-3b1d-4c6e-9f7a-1d2e3f4a5b6c"))
                .contains(UUID.fromString("5f0c8a2e-3b1d-4c6e-9f7a-1d2e3f4a5b6c"));
        assertThat(TaskIds.parse("5F0C8A2E-3B1D-4C6E-9F7A-1D2E3F4A5B6C")).isPresent();
    }

    @Test
    void refusesWhatUuidFromStringWouldStretch() {
        assertThat(TaskIds.parse("1-1-1-1-1")).isEmpty();
        assertThat(TaskIds.parse("5f0c8a2e3b1d4c6e9f7a1d2e3f4a5b6c")).isEmpty();
        assertThat(TaskIds.parse("5f0c8a2e-3b1d-4c6e-9f7a-1d2e3f4a5b6c0")).isEmpty();
        assertThat(TaskIds.parse("")).isEmpty();
        assertThat(TaskIds.parse(null)).isEmpty();
    }
}
