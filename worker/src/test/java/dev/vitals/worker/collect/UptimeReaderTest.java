package dev.vitals.worker.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;
import oshi.software.os.OperatingSystem;

/** Against this machine. */
class UptimeReaderTest {

    private final OperatingSystem os = new SystemInfo().getOperatingSystem();

    @Test
    void uptimeIsPositiveAndAgreesWithBootTime() {
        Duration uptime = new UptimeReader(os).uptime();

        Duration sinceBoot = Duration.between(Instant.ofEpochSecond(os.getSystemBootTime()), Instant.now());
        assertThat(uptime).isPositive();
        assertThat(uptime.minus(sinceBoot).abs()).isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void theSystemIsAskedOnceForManyReportsInASecond() {
        AtomicInteger asked = new AtomicInteger();
        UptimeReader reader = new UptimeReader(() -> {
            asked.incrementAndGet();
            return 1_000;
        });

        for (int i = 0; i < 1_000; i++) {
            assertThat(reader.uptime()).isEqualTo(Duration.ofSeconds(1_000));
        }

        assertThat(asked).hasValueBetween(1, 2); // a second boundary may fall within the loop
    }
}
