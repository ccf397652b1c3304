package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vitals.testing.Browser;
import dev.vitals.testing.FreePorts;
import dev.vitals.testing.RabbitMqExtension;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in a real headless Chromium against {@code bin/vitals up} (the API, two workers, RabbitMQ): the fleet
 * page lists both workers; a schedule that puts one worker's disk in error turns its row unhealthy while the page
 * stays open (from the event stream, without a reload); "check now" on the worker page shows the graded report; the
 * task page shows it as a table; a silence is created on the alerts page; and no page writes an error to the console.
 * Each page is saved as a screenshot in {@code e2e/target/screenshots}.
 */
class DashboardUpTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration LIVE = Duration.ofSeconds(60);

    @TempDir
    Path data;

    @Test
    void theDashboardShowsTheFleetLiveChecksNowAndSilences() throws Exception {
        int apiPort = FreePorts.freePort();
        String api = "http://127.0.0.1:" + apiPort;
        try (Launcher launcher = new Launcher(); Browser browser = new Browser(1400, 1000)) {
            Map<String, String> env = Launcher.upEnvironment(rabbit.uri(), apiPort, UpTest.twoFreePorts(), data);
            env.put("VITALS_API_SCHEDULES", "[]"); // only the schedule below moves a state
            env.put("JAVA_OPTS", "-Dvitals.api.schedule.min-interval=1s -Dvitals.api.history.settle=0s"
                    + " -Dvitals.api.stream.poll-interval=250ms");
            Launcher.Command up = launcher.start("up-dashboard", env, "up");
            await().atMost(STARTUP).until(() -> up.logText().contains("vitals: ready: the API on"));
            await().atMost(STARTUP).until(() -> Rig.json(Rig.get(api + "/api/v1/workers?alive=true"))
                    .path("workers").size() == 2);
            List<String> workers = Rig.json(Rig.get(api + "/api/v1/workers")).path("workers").findValuesAsText("worker_id");
            String failing = workers.get(0);
            ChromeDriver page = browser.driver();

            // The fleet: both workers, neither with a scheduled run yet.
            page.get(api + "/");
            await().atMost(LIVE).until(() -> !status(page, workers.get(0)).isEmpty() && !status(page, workers.get(1)).isEmpty());
            assertThat(status(page, failing)).isEqualTo("unknown");
            await().atMost(LIVE).until(() -> page.findElement(By.id("live")).getText().equals("live"));
            browser.script("window.vitalsTestMarker = 'not reloaded';");
            browser.screenshot("fleet-before");

            HttpResponse<String> created = Rig.post(api + "/api/v1/schedules", "{\"name\": \"disk-error\", \"target\": \""
                    + failing + "\", \"checks\": [\"disk\"], \"thresholds\": {\"disk\": {\"warning\": 1, \"error\": 2}},"
                    + " \"interval_seconds\": 1}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            await().atMost(LIVE).until(() -> status(page, failing).equals("degraded"));
            await().atMost(LIVE).until(() -> status(page, failing).equals("unhealthy"));
            assertThat(browser.script("return window.vitalsTestMarker;")).as("the page changed without a reload")
                    .isEqualTo("not reloaded");
            assertThat(rowText(page, failing)).as("the state is said in words, not only in colour").contains("unhealthy");
            await().atMost(LIVE).until(() -> page.findElement(By.id("open-alerts")).getText().equals("1"));
            assertThat(Rig.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/api/v1/schedules/disk-error"))
                    .DELETE().build()).statusCode()).isEqualTo(204);
            browser.screenshot("fleet");

            // A worker's page: "check now" posts a task for it and shows its graded report.
            await().ignoreExceptions().atMost(LIVE).untilAsserted(() ->
                    page.findElement(By.cssSelector("tr[data-worker='" + failing + "'] a")).click());
            await().atMost(LIVE).until(() -> loaded(page, "#/workers/" + failing));
            await().atMost(LIVE).until(() -> page.findElements(By.cssSelector("#charts .uplot")).size() == 1);
            assertThat(page.findElement(By.id("transitions")).getText()).contains("unhealthy").contains("disk");
            page.findElement(By.id("check-now")).click();
            await().atMost(LIVE).until(() -> !page.findElements(By.cssSelector("#check-result .report table")).isEmpty());
            String report = page.findElement(By.id("check-result")).getText();
            assertThat(report).contains("completed").contains("cpu").contains("memory").contains("disk").contains("load")
                    .contains("threads");
            browser.screenshot("worker");

            // The task of that check, as a table.
            page.findElement(By.cssSelector("#check-result a[href^='#/tasks/']")).click();
            await().atMost(LIVE).until(() -> page.findElements(By.cssSelector("#task .report table")).size() == 1);
            assertThat(page.findElement(By.id("task-status")).getText()).isEqualTo("completed");
            assertThat(page.findElements(By.cssSelector("#task .report tbody tr"))).hasSize(5);
            assertThat(page.findElement(By.cssSelector("#task .report")).getText())
                    .as("the why column gives each check's reason").contains("per core over 1 min is")
                    .containsPattern("(below|above|at) the (warning|error) threshold");
            browser.screenshot("task");

            // Alerts: the one the failing disk opened, and a silence made here.
            page.findElement(By.cssSelector("a[data-nav='alerts']")).click();
            await().atMost(LIVE).until(() -> loaded(page, "#/alerts"));
            assertThat(page.findElement(By.id("alerts-open")).getText()).contains(failing).contains("unhealthy")
                    .as("the alert gives the disk's reason").contains("above the error threshold 2 %");
            await().atMost(LIVE).until(() -> page.findElements(By.cssSelector("#silence-worker option")).size() == 3);
            new Select(page.findElement(By.id("silence-worker"))).selectByValue(failing);
            page.findElement(By.id("silence-reason")).sendKeys("disks replaced tonight");
            page.findElement(By.cssSelector("#silence-form button[type='submit']")).click();
            await().atMost(LIVE).until(() -> !page.findElements(By.cssSelector("#silences tr[data-silence]")).isEmpty());
            JsonNode silences = Rig.json(Rig.get(api + "/api/v1/silences")).path("silences");
            assertThat(silences).hasSize(1);
            assertThat(silences.get(0).path("worker_id").asText()).isEqualTo(failing);
            assertThat(silences.get(0).path("reason").asText()).isEqualTo("disks replaced tonight");
            browser.screenshot("alerts");

            assertThat(browser.consoleErrors()).as("console errors").isEmpty();
        }
    }

    /** The row's status, read in one go: the page may render the rows again at any moment. */
    private static String status(ChromeDriver page, String workerId) {
        return String.valueOf(page.executeScript("const row = document.querySelector(`tr[data-worker='${arguments[0]}']`);"
                + " return row ? row.dataset.status : '';", workerId));
    }

    private static String rowText(ChromeDriver page, String workerId) {
        return String.valueOf(page.executeScript("const row = document.querySelector(`tr[data-worker='${arguments[0]}']`);"
                + " return row ? row.innerText : '';", workerId));
    }

    private static boolean loaded(ChromeDriver page, String hash) {
        return hash.equals(page.findElement(By.id("main")).getDomAttribute("data-loaded"));
    }
}
