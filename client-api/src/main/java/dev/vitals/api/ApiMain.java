package dev.vitals.api;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.vitals.settings.Settings;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code bin/vitals api}: loads the configuration (reference.conf, application.conf or
 * {@code -Dconfig.file}, environment variables), starts one {@link Api} and runs it until SIGTERM or
 * SIGINT, then stops it cleanly and exits 0. Exits 1 at once, saying why, when the configuration is
 * invalid or the store cannot be reached.
 */
public final class ApiMain {

    private static final Logger log = LoggerFactory.getLogger(ApiMain.class);

    private ApiMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        Api api;
        try {
            api = Api.start(ConfigFactory.load());
        } catch (ConfigException e) {
            log.error("Cannot start: {}", Settings.explain(e));
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            // the store unreachable or missing, the port taken, a bad store URL: say why and what to do, in one line
            log.error("Cannot start: {}", e.getMessage());
            log.debug("Start-up failure", e);
            System.exit(1);
            return;
        }
        stop.await();
        log.info("Signal received; shutting down");
        int status = 0;
        try {
            api.close();
        } catch (RuntimeException | Error e) {
            // Exit all the same: a JVM left waiting on the broker client's threads would never stop.
            log.error("Stopping the API failed; exiting anyway", e);
            status = 1;
        }
        System.exit(status);
    }
}
