package dev.vitals.api.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vitals.api.Api;
import dev.vitals.api.store.Database;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;

/** Configurations for API replicas started in-process by tests: a free port, the test's broker and store. */
public final class TestApis {

    private TestApis() {
    }

    /** The embedded H2 file database, in {@code directory}. */
    public static String h2Url(Path directory) {
        return Database.DEFAULT_URL.replace("./data/vitals", directory.resolve("vitals").toString());
    }

    /** Starts an API replica in process with {@link #config} and waits until it is connected to the broker. */
    public static Api startConnected(String brokerUri, String storeUrl, Map<String, Object> overrides) {
        Api api = Api.start(config(brokerUri, storeUrl, overrides));
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(api::isBrokerConnected);
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
        return api;
    }

    public static Config config(String brokerUri, String storeUrl, Map<String, Object> overrides) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("vitals.api.port", 0);
        settings.put("vitals.api.host", "127.0.0.1");
        settings.put("vitals.api.tokens", "");
        settings.put("vitals.api.tasks.sweep-interval", "200ms");
        settings.put("vitals.broker.uri", brokerUri);
        settings.put("vitals.broker.reconnect-interval", "100ms");
        settings.put("vitals.broker.max-reconnect-interval", "500ms");
        settings.put("vitals.api.store.url", storeUrl);
        settings.putAll(overrides);
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.defaultReference()).resolve();
    }
}
