package io.switchboard.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian's, with its matching chromedriver) pointed at the test server. The driver
 * path is given explicitly so Selenium Manager never reaches for the network, and every browser gets a fresh
 * profile. Tests are skipped, not failed, on a machine without Chromium.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("docs", "screenshots");

    final ChromeDriver driver;
    private final String baseUrl;
    private final Path profile;

    private Browser(ChromeDriver driver, String baseUrl, Path profile) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.profile = profile;
    }

    static Browser open(String baseUrl) {
        return open(baseUrl, "en-US");
    }

    /** A browser whose language (navigator.language, Accept-Language) is {@code language}, e.g. pt-BR. */
    static Browser open(String baseUrl, String language) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM);
        try {
            Path profile = Files.createTempDirectory("switchboard-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic",
                    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost",
                    "--user-data-dir=" + profile.toAbsolutePath(), "--lang=" + language);
            options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(new Dimension(1280, 900));
            return new Browser(driver, baseUrl, profile);
        } catch (IOException e) {
            throw new IllegalStateException("could not create a browser profile directory", e);
        }
    }

    void signIn(String email, String password) {
        signIn(email, password, "en");
    }

    /** Signs in with the UI in {@code lang} ({@code en} or {@code pt-BR}). */
    void signIn(String email, String password, String lang) {
        visit("/login?lang=" + lang);
        driver.findElement(By.id("username")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("sign-in")).click();
        waitFor(ExpectedConditions.urlContains("/inbox"));
    }

    void visit(String path) {
        driver.get(baseUrl + path);
    }

    /** Waits until the page's live stream is connected, so changes made from now on reach it. */
    void waitForLiveStream() {
        waitFor(d -> "open".equals(d.findElement(By.tagName("html")).getDomAttribute("data-stream")));
    }

    WebElement find(By by) {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Clicks, retrying when a live refresh replaced the element between finding and clicking it. */
    void click(By by) {
        waitFor(d -> {
            try {
                WebElement element = d.findElement(by);
                if (!element.isDisplayed() || !element.isEnabled()) {
                    return null;
                }
                element.click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
                return null;
            }
        });
    }

    /** An attribute of a visible element, read again when a live refresh replaced the element meanwhile. */
    String attribute(By by, String name) {
        return waitFor(d -> {
            WebElement element = d.findElement(by);
            if (!element.isDisplayed()) {
                return null;
            }
            String value = element.getDomAttribute(name);
            return value == null ? "" : value;
        });
    }

    <T> T waitFor(Function<? super WebDriver, T> condition) {
        // a live update may replace an element between finding and reading it: look again
        return new WebDriverWait(driver, Duration.ofSeconds(10))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
    }

    void waitForText(By by, String text) {
        waitFor(d -> {
            try {
                var found = d.findElements(by);
                return found.stream().anyMatch(e -> e.getText().contains(text)) ? true : null;
            } catch (org.openqa.selenium.StaleElementReferenceException replacedByALiveUpdate) {
                return null;
            }
        });
    }

    /** Like {@link #waitForText} for answers that take a while (a turn's timer and humanized delay). */
    void waitForTextLonger(By by, String text) {
        new WebDriverWait(driver, Duration.ofSeconds(40)).until(d -> {
            try {
                return d.findElements(by).stream().anyMatch(e -> e.getText().contains(text)) ? true : null;
            } catch (org.openqa.selenium.StaleElementReferenceException replaced) {
                return null;
            }
        });
    }

    /** The text of an element, read again if a live update replaced it meanwhile. */
    String text(By by) {
        return waitFor(d -> {
            try {
                return d.findElement(by).getText();
            } catch (org.openqa.selenium.StaleElementReferenceException replacedByALiveUpdate) {
                return null;
            }
        });
    }

    /** The top edge of an element on the page, measured again if a live update replaced it meanwhile. */
    int top(By by) {
        return waitFor(d -> d.findElement(by).getRect().getY());
    }

    /** Types into a field, again if a live update replaced the field meanwhile. */
    void type(By by, String text) {
        waitFor(d -> {
            try {
                d.findElement(by).sendKeys(text);
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException replacedByALiveUpdate) {
                return null;
            }
        });
    }

    /** Marks the current document; if the page reloads, the mark is gone. */
    void markDocument() {
        driver.executeScript("window.__notReloaded = true;");
    }

    boolean documentWasKept() {
        return Boolean.TRUE.equals(driver.executeScript("return window.__notReloaded === true;"));
    }

    /**
     * Saves a screenshot for the README, but only when it looks different from the one already there: a run that
     * changed nothing visible (times, ids and anti-aliasing aside) leaves the file, and the working tree, alone.
     */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + ".png");
            if (Files.exists(target) && looksTheSame(shot.toPath(), target)) {
                return;
            }
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("could not save screenshot " + name, e);
        }
    }

    /** Same size and at most 2 % of pixels different (a clock, a generated name). */
    static boolean looksTheSame(Path fresh, Path saved) throws IOException {
        java.awt.image.BufferedImage a = javax.imageio.ImageIO.read(fresh.toFile());
        java.awt.image.BufferedImage b = javax.imageio.ImageIO.read(saved.toFile());
        if (a == null || b == null || a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        long different = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    different++;
                }
            }
        }
        return different <= (long) a.getWidth() * a.getHeight() / 50;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException ignored) {
                // a leftover temp profile is harmless
            }
        }
    }
}
