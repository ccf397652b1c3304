package dev.vitals.api;

import static dev.vitals.api.support.HttpCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.api.store.JdbcTaskStore;
import dev.vitals.api.support.ApiExtension;
import dev.vitals.api.support.FakeWorker;
import dev.vitals.api.support.HttpCalls;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the dashboard reads besides the routes of the monitoring issue: {@code GET /api/v1/fleet} (every worker with
 * its last run, uptime and 90 days at once, in agreement with {@code /uptime}), the state and uptime badges, and the
 * dashboard's own files at {@code /}.
 */
class ApiFleetTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit)
            .with("vitals.api.history.settle", "0s").with("vitals.api.history.record-interval", "100ms");

    private static JdbcTaskStore tasks;
    private static HttpCalls http;

    @BeforeAll
    static void openStore() {
        tasks = api.taskStore();
        http = api.http();
    }

    private static void recorded(FakeWorker worker, int runs) {
        String path = "/api/v1/workers/" + worker.workerId() + "/uptime";
        await().atMost(Duration.ofSeconds(20)).until(() ->
                json(http.get(path)).at("/windows/24h/runs").asInt() == runs);
    }

    @Test
    void theFleetShowsEachWorkersLastRunUptimeAndDaysAsTheWorkerRoutesDo() throws Exception {
        FakeWorker worker = api.fakeWorker("fleet-worker-1");
        worker.heartbeat();
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/api/v1/workers/" + worker.workerId()).statusCode() == 200);
        ApiWorkerStateTest.scheduledRun(tasks, http, worker, 50);
        ApiWorkerStateTest.scheduledRun(tasks, http, worker, 50);
        ApiWorkerStateTest.scheduledRun(tasks, http, worker, 97.1);
        recorded(worker, 3);

        JsonNode fleet = json(http.get("/api/v1/fleet"));
        JsonNode row = null;
        for (JsonNode candidate : fleet.path("workers")) {
            if (candidate.path("worker_id").asText().equals(worker.workerId())) {
                row = candidate;
            }
        }
        assertThat(row).as("the worker is listed: %s", fleet).isNotNull();
        assertThat(row.path("hostname").asText()).isEqualTo("fake-host");
        assertThat(row.path("alive").asBoolean()).isTrue();
        assertThat(row.at("/state/status").asText()).isEqualTo("degraded");
        assertThat(row.at("/last_run/status").asText()).isEqualTo("error");
        assertThat(row.at("/last_run/checks/disk/value").asDouble()).isEqualTo(97.1);
        assertThat(row.at("/last_run/checks/disk/status").asText()).isEqualTo("error");
        assertThat(row.at("/last_run/checks/disk/warning").asDouble()).isEqualTo(90);
        assertThat(row.at("/last_run/checks/disk/error").asDouble()).isEqualTo(95);
        assertThat(row.at("/last_run/checks/cpu/value").asDouble()).isEqualTo(12.5);
        assertThat(row.at("/last_run/checks").has("memory")).as("a check the report did not have").isFalse();

        JsonNode uptime = json(http.get("/api/v1/workers/" + worker.workerId() + "/uptime")).path("windows");
        for (String window : new String[] {"24h", "30d", "90d"}) {
            assertThat(row.path("uptime").path(window)).as(window).isEqualTo(uptime.path(window));
        }
        assertThat(row.at("/uptime/24h/runs").asInt()).isEqualTo(3);
        assertThat(row.at("/uptime/24h/failures").asInt()).isEqualTo(1);

        JsonNode days = row.path("days");
        assertThat(days.path("first").asText()).isEqualTo(LocalDate.now(ZoneOffset.UTC).minusDays(89).toString());
        assertThat(days.path("runs")).hasSize(90);
        assertThat(days.path("failures")).hasSize(90);
        assertThat(days.path("runs").get(89).asInt()).as("today").isEqualTo(3);
        assertThat(days.path("failures").get(89).asInt()).isEqualTo(1);
        assertThat(days.path("runs").get(0).asInt()).isZero();

        JsonNode one = json(http.get("/api/v1/fleet?worker_id=" + worker.workerId()));
        assertThat(one.path("workers")).hasSize(1);
        assertThat(one.at("/workers/0")).isEqualTo(row);
        HttpResponse<String> unknown = http.get("/api/v1/fleet?worker_id=no-such-worker");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).path("detail").asText()).contains("no-such-worker");
    }

    @Test
    void badgesShowTheStateAndTheUptimeOfAWindow() throws Exception {
        FakeWorker worker = api.fakeWorker("badge-worker-1");
        worker.heartbeat();
        String base = "/api/v1/workers/" + worker.workerId();
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(base).statusCode() == 200);

        HttpResponse<String> before = http.get(base + "/badge.svg");
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(before.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("image/svg+xml"));
        assertThat(before.headers().firstValue("Cache-Control")).hasValueSatisfying(c -> assertThat(c).contains("no-cache"));
        assertThat(before.body()).startsWith("<svg").contains(">unknown</text>").contains("aria-label=\"badge-worker-1: unknown\"");
        assertThat(http.get(base + "/uptime.svg").body()).contains(">uptime 30d</text>").contains(">no runs</text>");

        ApiWorkerStateTest.scheduledRun(tasks, http, worker, 97.1);
        ApiWorkerStateTest.scheduledRun(tasks, http, worker, 50);
        ApiWorkerStateTest.scheduledRun(tasks, http, worker, 50);
        ApiWorkerStateTest.scheduledRun(tasks, http, worker, 50);
        recorded(worker, 4);
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(base + "/badge.svg").body().contains(">healthy</text>"));
        assertThat(http.get(base + "/badge.svg").body()).contains("#1a7f37");

        String uptime = http.get(base + "/uptime.svg?window=24h").body();
        assertThat(uptime).contains(">uptime 24h</text>").contains(">75.00%</text>").contains("#c62828");

        HttpResponse<String> badWindow = http.get(base + "/uptime.svg?window=2d");
        assertThat(badWindow.statusCode()).isEqualTo(400);
        assertThat(json(badWindow).path("detail").asText()).contains("window").contains("30d");
        assertThat(http.get("/api/v1/workers/no-such-worker/badge.svg").statusCode()).isEqualTo(404);
    }

    @Test
    void theDashboardIsServedAtTheRootWithItsAssets() {
        HttpResponse<String> page = http.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(p ->
                assertThat(p).contains("default-src 'self'"));
        assertThat(page.body()).contains("<title>Vitals</title>").contains("app.js").contains("uPlot.iife.min.js");
        for (String asset : new String[] {"/app.js", "/app.css", "/favicon.svg", "/vendor/uplot/uPlot.iife.min.js",
                "/vendor/uplot/uPlot.min.css"}) {
            HttpResponse<String> served = http.get(asset);
            assertThat(served.statusCode()).as(asset).isEqualTo(200);
            assertThat(served.body()).as(asset).isNotBlank();
        }
        assertThat(http.get("/no-such-page.html").statusCode()).isEqualTo(404);
    }
}
