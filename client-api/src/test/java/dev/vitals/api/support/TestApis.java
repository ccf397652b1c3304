package dev.vitals.api.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.vitals.api.store.Database;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Configurations for API replicas started in process by tests, and the embedded store's URL. */
public final class TestApis {

    private TestApis() {
    }

    /** The embedded H2 file database, in {@code directory}. */
    public static String h2Url(Path directory) {
        return Database.DEFAULT_URL.replace("./data/vitals", directory.resolve("vitals").toString());
    }

    /**
     * The configuration of an API replica started in process ({@link ApiExtension} starts them): a free port of
     * 127.0.0.1, no tokens, quick sweeps and reconnects, no canary, the given broker and store, then {@code overrides}.
     */
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
        // No canary tasks unless a test asks for them: they would be taken by the tests' own workers.
        settings.put("vitals.api.canary.interval", "0");
        settings.putAll(overrides);
        return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.defaultReference()).resolve();
    }
}
