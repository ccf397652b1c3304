package dev.vitals.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.typesafe.config.Config;
import dev.vitals.api.support.TestApis;
import dev.vitals.testing.JavaProcess;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user who misconfigured something gets from the API at start-up: one line that says what is wrong and what
 * to do, never a stack trace. What an operator fixes on the broker's side (a conflicting queue, a refused login)
 * keeps the API retrying, not ready and saying why, until it is fixed; what only a restart can fix (store, port,
 * settings) stops it with exit code 1.
 */
class ApiStartupProblemsTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final PostgresExtension postgres = new PostgresExtension();

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EXIT_WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path data;

    private String h2Url() {
        return TestApis.h2Url(data);
    }

    private Config config(URI broker) {
        return TestApis.config(broker.toString(), h2Url(), Map.of());
    }

    private static HttpResponse<String> ready(Api api) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String brokerDetail(HttpResponse<String> readiness) throws Exception {
        JsonNode broker = JSON.readTree(readiness.body()).path("checks").path("broker");
        assertThat(broker.path("status").asText()).isEqualTo("down");
        return broker.path("detail").asText();
    }

    @Test
    void aClassicTaskQueueKeepsTheApiNotReadySayingWhyUntilItIsDeleted() throws Exception {
        try (Connection connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
            channel.queueDeclare("maintenance_tasks", true, false, false, Map.of());
        }

        try (Api api = Api.start(config(rabbit.uri()))) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                HttpResponse<String> readiness = ready(api);
                assertThat(readiness.statusCode()).isEqualTo(503);
                assertThat(brokerDetail(readiness)).isEqualTo("queue 'maintenance_tasks' in vhost '" + rabbit.vhost()
                        + "' exists with x-queue-type=classic; Vitals declares x-queue-type=quorum. A queue's arguments"
                        + " cannot change: delete it once empty (rabbitmqctl delete_queue -p " + rabbit.vhost()
                        + " maintenance_tasks) or give Vitals another vhost");
            });

            try (Connection connection = rabbit.newConnection(); Channel channel = connection.createChannel()) {
                channel.queueDelete("maintenance_tasks");
            }

            await().atMost(Duration.ofSeconds(15)).until(api::isBrokerConnected);
            assertThat(ready(api).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aWrongBrokerPasswordKeepsTheApiNotReadySayingWhy() throws Exception {
        URI uri = rabbit.uri();
        URI wrong = URI.create("amqp://guest:not-it@" + uri.getHost() + ":" + uri.getPort() + uri.getRawPath());

        try (Api api = Api.start(config(wrong))) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                HttpResponse<String> readiness = ready(api);
                assertThat(readiness.statusCode()).isEqualTo(503);
                assertThat(brokerDetail(readiness)).contains("refused the login of user 'guest'", "RABBITMQ_URI")
                        .doesNotContain("not-it");
            });
        }
    }

    private JavaProcess apiProcess(Map<String, String> env, Map<String, String> properties) throws Exception {
        JavaProcess.Builder builder = JavaProcess.builder(ApiMain.class)
                .systemProperty("logback.configurationFile", "logback.xml") // what users get, not the tests' debug logging
                .systemProperty("vitals.api.host", "127.0.0.1")
                .systemProperty("vitals.broker.uri", rabbit.uri().toString());
        env.forEach(builder::env);
        properties.forEach(builder::systemProperty);
        return builder.start();
    }

    /** The process stopped with 1 and said why in one line, without a stack trace. */
    private static String oneLineWhy(JavaProcess api) throws Exception {
        assertThat(api.awaitExit(EXIT_WITHIN)).as(api.outputText()).isEqualTo(1);
        String output = api.outputText();
        assertThat(output).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception:");
        return output.lines().filter(line -> line.contains("Cannot start: ")).findFirst()
                .map(line -> line.substring(line.indexOf("Cannot start: ") + "Cannot start: ".length()))
                .orElseThrow(() -> new AssertionError("no 'Cannot start' line in:\n" + output));
    }

    @Test
    void aMissingPostgresDatabaseIsNamedWithTheCommandThatCreatesIt() throws Exception {
        String missing = postgres.jdbcUrl().replaceFirst("/(vitals_test_[0-9a-f]+)", "/$1_missing");
        String name = missing.replaceFirst(".*/([^/?]+)\\?.*", "$1");

        try (JavaProcess api = apiProcess(Map.of("VITALS_DB_URL", missing), Map.of("vitals.api.port", "0"))) {
            assertThat(oneLineWhy(api)).startsWith("cannot connect to the task store at jdbc:postgresql://")
                    .contains("database \"" + name + "\" does not exist")
                    .contains("createdb -h ").endsWith(" " + name + ") or name an existing database in VITALS_DB_URL");
        }
    }

    @Test
    void aStoreUrlOfAnotherDatabaseIsRefusedNamingTheVariable() throws Exception {
        try (JavaProcess api = apiProcess(Map.of("VITALS_DB_URL", "jdbc:mysql://127.0.0.1/vitals"),
                Map.of("vitals.api.port", "0"))) {
            assertThat(oneLineWhy(api)).isEqualTo("invalid setting vitals.api.store.url (environment variable"
                    + " VITALS_DB_URL): must start with jdbc:postgresql: or jdbc:h2:, got 'jdbc:mysql://127.0.0.1/vitals';"
                    + " correct it there");
        }
    }

    @Test
    void aTakenPortIsNamedWithTheSettingThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            try (JavaProcess api = apiProcess(Map.of("VITALS_API_PORT", Integer.toString(port)),
                    Map.of("vitals.api.store.url", h2Url()))) {
                assertThat(oneLineWhy(api)).isEqualTo("cannot listen on 127.0.0.1:" + port + " for the API: the port is"
                        + " taken (another API, or another program, listens there): set VITALS_API_PORT (or"
                        + " vitals.api.port) to a free port, or stop what listens there (ss -ltnp 'sport = :" + port
                        + "' names it)");
            }
        }
    }

    @Test
    void aSettingOutOfRangeIsNamedWithTheVariableThatSetIt() throws Exception {
        try (JavaProcess api = apiProcess(Map.of("VITALS_API_PORT", "99999"), Map.of("vitals.api.store.url", h2Url()))) {
            assertThat(oneLineWhy(api)).isEqualTo("invalid setting vitals.api.port (environment variable"
                    + " VITALS_API_PORT): must be between 0 and 65535, got 99999; correct it there");
        }
    }
}
