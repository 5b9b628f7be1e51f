package dev.captioner.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Headless Chromium for the pages' tests, driven through Debian's {@code chromium} and {@code chromium-driver}
 * (never a downloaded driver; {@code .ci/run} installs both). Where they are missing the tests skip, naming what
 * to install. Screenshots go to {@code target/screenshots/}.
 */
final class Browser implements AutoCloseable {

    /** How long the page may show no change at all before a test gives up on it: a hang guard, not a deadline. */
    static final Duration STALLED = Duration.ofMinutes(3);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    final ChromeDriver driver;
    private final String origin;

    private Browser(ChromeDriver driver, int port) {
        this.driver = driver;
        this.origin = "http://localhost:" + port;
    }

    /** Why the pages cannot be tested on this machine, or empty when they can. */
    static Optional<String> unavailable() {
        if (!Files.isExecutable(chromium())) {
            return Optional.of("no Chromium at " + chromium() + " (apt-get install chromium, or set CAPTIONER_CHROMIUM)");
        }
        if (!Files.isExecutable(chromedriver())) {
            return Optional.of("no chromedriver at " + chromedriver()
                    + " (apt-get install chromium-driver, or set CAPTIONER_CHROMEDRIVER)");
        }
        return Optional.empty();
    }

    static Browser open(int port, int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--force-device-scale-factor=1", "--lang=en-GB");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver().toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        return new Browser(driver, port);
    }

    private static Path chromium() {
        return Path.of(Objects.requireNonNullElse(System.getenv("CAPTIONER_CHROMIUM"), "/usr/bin/chromium"));
    }

    private static Path chromedriver() {
        return Path.of(Objects.requireNonNullElse(System.getenv("CAPTIONER_CHROMEDRIVER"), "/usr/bin/chromedriver"));
    }

    void go(String path) {
        driver.get(origin + path);
    }

    String path() {
        return driver.getCurrentUrl().substring(origin.length());
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /**
     * Waits until the condition holds, for as long as the page keeps changing ({@code progress} is what the test
     * watches, e.g. a list's HTML); fails only when nothing has changed for {@link #STALLED}.
     */
    void await(String what, BooleanSupplier condition, Supplier<Object> progress) {
        Object seen = observe(progress);
        long movedAt = System.nanoTime();
        while (!holds(condition)) {
            if (System.nanoTime() - movedAt > STALLED.toNanos()) {
                throw new AssertionError("gave up waiting for " + what + ": the page did not change for " + STALLED
                        + "; browser console: " + console());
            }
            sleep();
            Object now = observe(progress);
            if (!Objects.equals(now, seen)) {
                seen = now;
                movedAt = System.nanoTime();
            }
        }
    }

    /** A page that is still being drawn or redrawn has no such element yet, or only a replaced one: not yet. */
    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (NoSuchElementException | StaleElementReferenceException e) {
            return false;
        }
    }

    private static Object observe(Supplier<Object> progress) {
        try {
            return progress.get();
        } catch (NoSuchElementException | StaleElementReferenceException e) {
            return e.getClass().getSimpleName();
        }
    }

    /** {@link #await} watching the whole page's text. */
    void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> find("body").getText());
    }

    /** The browser console's errors and warnings so far (a script error fails no assertion by itself). */
    List<String> console() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage).toList();
    }

    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path target = SCREENSHOTS.resolve(name + ".png");
        Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
