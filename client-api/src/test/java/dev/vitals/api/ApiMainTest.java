package dev.vitals.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.RabbitMqExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/vitals api} as a real process: starts, stops cleanly on SIGTERM, refuses a bad configuration. */
class ApiMainTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @TempDir
    Path data;

    @Test
    void stopsCleanlyWithExitCodeZeroOnSigterm() throws Exception {
        try (JavaProcess api = JavaProcess.builder(ApiMain.class)
                .systemProperty("vitals.api.port", "0")
                .systemProperty("vitals.api.host", "127.0.0.1")
                .systemProperty("vitals.broker.uri", rabbit.uri().toString())
                .systemProperty("vitals.api.store.url", dev.vitals.api.support.TestApis.h2Url(data))
                .start()) {
            api.awaitOutputContains("Broker topology declared", Duration.ofSeconds(30));

            int exitCode = api.terminate();

            assertThat(exitCode).as(api.outputText()).isZero();
            assertThat(api.outputText()).contains("Vitals API stopped");
        }
    }

    @Test
    void exitsWithOneNamingTheKeyWhenTheConfigurationIsInvalid() throws Exception {
        try (JavaProcess api = JavaProcess.builder(ApiMain.class)
                .systemProperty("vitals.api.port", "99999")
                .systemProperty("vitals.api.store.url", dev.vitals.api.support.TestApis.h2Url(data))
                .start()) {
            int exitCode = api.awaitExit(Duration.ofSeconds(30));

            assertThat(exitCode).isEqualTo(1);
            assertThat(api.outputText()).contains("vitals.api.port").contains("99999");
        }
    }
}
