package dev.vitals.api.support;

import com.rabbitmq.client.Connection;
import dev.vitals.api.Api;
import dev.vitals.api.store.Database;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.broker.BrokerSettings;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.PostgresExtension;
import dev.vitals.testing.RabbitMqExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * API replicas started in process for a test class: on the class's RabbitMQ vhost, each on a free port of
 * 127.0.0.1 with quick reconnects and sweeps ({@link TestApis#config}), started and connected to the broker
 * before the tests use them, closed after them.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final RabbitMqExtension rabbit = new RabbitMqExtension();
 *
 * &#64;RegisterExtension
 * static final ApiExtension api = ApiExtension.on(rabbit).with("vitals.api.tokens", "a-token");
 * ... api.http().post("/api/v1/health-checks", "{}") ...
 * </pre>
 *
 * <p>One replica starts before the class's tests ({@link #api()}), unless the class asks for
 * {@link #startedByTests()}; {@link #start(Map)} starts more, with settings of their own, closed after the test
 * that started them (or after the class, when started before its tests). Each replica has an embedded H2 store
 * of its own, in a directory deleted after the class, unless {@link #store(PostgresExtension)} gives every
 * replica the class's PostgreSQL database, as replicas share one in a deployment.
 *
 * <p>It opens the vhost and the database itself ({@link RabbitMqExtension#open}, {@link PostgresExtension#open}),
 * so they exist before the first replica starts and until the last one stopped, whichever order JUnit runs the
 * extensions in. Register it on a static field. For engines that do not run Jupiter extensions (jqwik),
 * {@link #open(String)} before the tests and {@link #close()} after them.
 */
public final class ApiExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final Duration CONNECTS_WITHIN = Duration.ofSeconds(10);

    private final @Nullable RabbitMqExtension rabbit;
    private @Nullable PostgresExtension postgres;
    private final Map<String, Object> settings = new HashMap<>();
    private boolean startsOne = true;

    private @Nullable String brokerUri;
    private @Nullable Path stores;
    private volatile @Nullable Api first;
    private volatile @Nullable String firstStoreUrl;
    private final List<Api> forClass = new ArrayList<>();
    private final List<Api> forTest = new ArrayList<>();
    private boolean inTest;

    private ApiExtension(@Nullable RabbitMqExtension rabbit) {
        this.rabbit = rabbit;
    }

    /** Replicas on {@code rabbit}'s vhost. */
    public static ApiExtension on(RabbitMqExtension rabbit) {
        return new ApiExtension(rabbit);
    }

    /** Replicas whose broker is an address nothing listens on: they start without it and never connect. */
    public static ApiExtension withoutBroker() {
        return new ApiExtension(null);
    }

    /** Every replica stores in {@code postgres}'s database, one database for all of them. */
    public ApiExtension store(PostgresExtension postgres) {
        this.postgres = postgres;
        return this;
    }

    /** A setting of every replica ({@code vitals.api.tokens} …), over the test defaults. */
    public ApiExtension with(String key, Object value) {
        settings.put(key, value);
        return this;
    }

    /** No replica starts before the tests: each test starts its own with {@link #start(Map)}. */
    public ApiExtension startedByTests() {
        startsOne = false;
        return this;
    }

    /** The store {@link #taskStore} reads and writes; null until asked for. */
    private @Nullable Database taskStore;

    @Override
    public void beforeAll(ExtensionContext context) {
        open(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        if (stores == null) {
            throw new IllegalStateException("ApiExtension was not opened before the test: register it with "
                    + "@RegisterExtension on a static field");
        }
        inTest = true;
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        inTest = false;
        closeAll(forTest);
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        close();
    }

    /**
     * Opens the vhost and the database, and starts the replica the tests use, as {@code beforeAll} does.
     *
     * @param owner names the broker connections of the test code, usually the test class's simple name
     */
    public synchronized void open(String owner) {
        if (rabbit != null) {
            rabbit.open(owner);
            brokerUri = rabbit.uri().toString();
        } else {
            brokerUri = "amqp://guest:guest@127.0.0.1:" + FreePorts.freePort() + "/%2f";
        }
        if (postgres != null) {
            postgres.open();
        }
        try {
            stores = Files.createTempDirectory("vitals-api-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (startsOne) {
            firstStoreUrl = storeUrl(settings);
            first = start(Map.of("vitals.api.store.url", firstStoreUrl));
        }
    }

    /** Closes every replica, deletes their embedded stores and closes the vhost and the database. */
    public synchronized void close() throws SQLException {
        try {
            if (taskStore != null) {
                taskStore.close();
                taskStore = null;
            }
            closeAll(forTest);
            closeAll(forClass);
            first = null;
            firstStoreUrl = null;
            if (stores != null) {
                delete(stores);
                stores = null;
            }
        } finally {
            try {
                if (postgres != null) {
                    postgres.close();
                }
            } finally {
                if (rabbit != null) {
                    rabbit.close();
                }
            }
        }
    }

    /** The replica started before the tests. */
    public Api api() {
        Api api = first;
        if (api == null) {
            throw new IllegalStateException(startsOne ? "ApiExtension has started no replica yet: use it from "
                    + "@BeforeAll methods and tests" : "ApiExtension.startedByTests(): start one with start(…)");
        }
        return api;
    }

    /** The port of the replica started before the tests. */
    public int port() {
        return api().port();
    }

    /** Calls to the replica started before the tests; each call gives a client of its own. */
    public HttpCalls http() {
        return new HttpCalls(port());
    }

    /** The base URL of the replica started before the tests, {@code http://127.0.0.1:<port>}. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /**
     * Starts one more replica, with the class's settings and {@code overrides} over them, and waits until it
     * is connected to the broker (when there is one). It is closed after the current test, or after the class
     * when no test is running; closing it earlier is fine.
     */
    public synchronized Api start(Map<String, Object> overrides) {
        if (stores == null) {
            throw new IllegalStateException("ApiExtension is not open: register it with @RegisterExtension on a "
                    + "static field, or call open(…) first");
        }
        Map<String, Object> all = new HashMap<>(settings);
        all.putAll(overrides);
        Api api = Api.start(TestApis.config(brokerUri(), storeUrl(all), all));
        (inTest ? forTest : forClass).add(api);
        if (rabbit != null) {
            Awaitility.await("replica connected to the broker").atMost(CONNECTS_WITHIN).until(api::isBrokerConnected);
        }
        return api;
    }

    /** The broker settings the replicas are started with (queue arguments among them). */
    public synchronized BrokerSettings brokerSettings() {
        return BrokerSettings.from(TestApis.config(brokerUri(), "jdbc:h2:mem:unused", settings));
    }

    /**
     * A worker played over a new connection to the class's vhost, its own queue declared as the replicas'
     * broker settings make a real worker declare it.
     */
    public FakeWorker fakeWorker(String workerId) throws IOException, TimeoutException {
        if (rabbit == null) {
            throw new IllegalStateException("ApiExtension.withoutBroker() has no broker for a worker");
        }
        Connection connection = rabbit.newConnection();
        return new FakeWorker(connection, workerId, brokerSettings());
    }

    /** The JDBC URL of the store of the replica started before the tests. */
    public String storeUrl() {
        api(); // says why when there is none
        return Objects.requireNonNull(firstStoreUrl);
    }

    /**
     * The first replica's task store, for tests that store tasks as a schedule's run does; opened on first use, closed
     * with the extension.
     */
    public synchronized JdbcTaskStore taskStore() {
        if (taskStore == null) {
            taskStore = Database.open(storeUrl());
        }
        return new JdbcTaskStore(taskStore.dataSource());
    }

    private String brokerUri() {
        if (brokerUri == null) {
            throw new IllegalStateException("ApiExtension is not open");
        }
        return brokerUri;
    }

    private String storeUrl(Map<String, Object> settings) {
        Object configured = settings.get("vitals.api.store.url");
        if (configured != null) {
            return configured.toString();
        }
        if (postgres != null) {
            return postgres.jdbcUrl();
        }
        try {
            return TestApis.h2Url(Files.createTempDirectory(stores, "store"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeAll(List<Api> apis) {
        List<Api> closing = List.copyOf(apis);
        apis.clear();
        for (Api api : closing.reversed()) {
            api.close();
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the replicas' stores in " + directory, e);
        }
    }
}
