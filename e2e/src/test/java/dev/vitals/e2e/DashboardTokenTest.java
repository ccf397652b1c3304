package dev.vitals.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vitals.api.support.ApiExtension;
import dev.vitals.testing.Browser;
import dev.vitals.testing.RabbitMqExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The dashboard with bearer tokens configured, in headless Chromium: it asks for a token, says so when one is refused,
 * and keeps an accepted one for the tab only (session storage, never local storage).
 */
class DashboardTokenTest {

    @RegisterExtension
    static final RabbitMqExtension rabbit = new RabbitMqExtension();

    @RegisterExtension
    static final ApiExtension api = ApiExtension.on(rabbit).with("vitals.api.tokens", "dashboard-token");

    private static final Duration SOON = Duration.ofSeconds(20);

    @Test
    void thePageAsksForATokenAndKeepsItForTheTabOnly() {
        try (Browser browser = new Browser(1200, 800)) {
            ChromeDriver page = browser.driver();
            page.get(api.url() + "/");
            await().atMost(SOON).until(() -> page.findElement(By.id("token-dialog")).isDisplayed());

            page.findElement(By.id("token-input")).sendKeys("not-the-token");
            page.findElement(By.cssSelector("#token-dialog button[value='ok']")).click();
            await().atMost(SOON).until(() -> page.findElement(By.id("token-error")).isDisplayed());
            assertThat(page.findElement(By.id("token-error")).getText()).contains("refused");

            page.findElement(By.id("token-input")).sendKeys("dashboard-token");
            page.findElement(By.cssSelector("#token-dialog button[value='ok']")).click();
            await().atMost(SOON).until(() -> "#/".equals(page.findElement(By.id("main")).getDomAttribute("data-loaded")));
            assertThat(page.findElement(By.tagName("h1")).getText()).isEqualTo("Fleet");
            await().atMost(SOON).until(() -> page.findElement(By.id("live")).getText().equals("live"));
            assertThat(browser.script("return sessionStorage.getItem('vitals.token');")).isEqualTo("dashboard-token");
            assertThat(browser.script("return localStorage.length;")).isEqualTo(0L);

            page.findElement(By.id("token-button")).click();
            await().atMost(SOON).until(() -> page.findElement(By.id("token-dialog")).isDisplayed());
            assertThat(browser.script("return sessionStorage.getItem('vitals.token');")).isNull();
        }
    }
}
