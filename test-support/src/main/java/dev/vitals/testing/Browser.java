package dev.vitals.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The system's headless Chromium, driven through its chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}; {@code CHROME_BIN} and {@code CHROMEDRIVER} name others). Nothing is downloaded: without
 * them it fails, saying how to install them. For the browser tests and the dashboard's benchmark.
 */
public final class Browser implements AutoCloseable {

    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;

    public Browser(int width, int height) {
        Path chrome = Path.of(System.getenv().getOrDefault("CHROME_BIN", "/usr/bin/chromium"));
        Path chromedriver = Path.of(System.getenv().getOrDefault("CHROMEDRIVER", "/usr/bin/chromedriver"));
        for (Path needed : List.of(chrome, chromedriver)) {
            if (!Files.isExecutable(needed)) {
                throw new AssertionError("the browser tests need a headless Chromium and its driver, and " + needed
                        + " is not there: apt-get install chromium chromium-driver (.ci/run installs them), or set"
                        + " CHROME_BIN and CHROMEDRIVER to where yours are");
            }
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chrome.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--window-size=" + width + "," + height, "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** What the page wrote to the console at level SEVERE (errors, failed loads) since the last call. */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /** Saves what the page shows as {@code target/screenshots/<name>.png}, for a person to look at. */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        return file;
    }

    /** Runs a script in the page and returns what it returns. */
    public Object script(String script, Object... arguments) {
        return driver.executeScript(script, arguments);
    }

    /** Paint timings of the page as the browser measured them, in ms since navigation started. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> paintTimings() {
        return (Map<String, Object>) driver.executeScript("const t = {};"
                + " performance.getEntriesByType('paint').forEach(e => t[e.name] = e.startTime); return t;");
    }

    @Override
    public void close() {
        driver.quit();
    }
}
