package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import dev.captioner.store.ModelStore;
import dev.captioner.training.synthetic.GeneratedScenes;
import dev.captioner.training.synthetic.ScenesDatasetGenerator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * The caption page in real Chromium on the real application (the shipped attention demo model behind the seeded
 * VGG16): an image's caption appears beside its preview, the same one the API gives; a corrupt file shows the
 * API's problem as a sentence while the page keeps working; several images at once; a word, hovered or reached
 * with the keyboard, lays its attention map over the image; the layout fits a 360-px phone.
 */
class CaptionPageBrowserTest {

    private static final String MODEL = "demo-scenes-attention-v1";

    @TempDir
    Path root;

    @BeforeAll
    static void browserInstalled() {
        Assumptions.assumeTrue(Browser.unavailable().isEmpty(), () -> "skipped: " + Browser.unavailable().orElseThrow());
    }

    @Test
    void captionsImagesShowsProblemsAndWhereTheModelLooked() throws Exception {
        Path models = root.resolve("models");
        ModelStore store = new ModelStore(models);
        store.save(new ModelStore(Path.of("models")).load(MODEL));
        store.setActive(MODEL);
        GeneratedScenes scenes = new ScenesDatasetGenerator(77).generate(root.resolve("scenes"), 3, 1);
        List<Path> images = scenes.images().stream().map(i -> scenes.imagesDir().resolve(i.fileName())).toList();
        Path corrupt = root.resolve("corrupt.png");
        byte[] png = Files.readAllBytes(images.get(0));
        Files.write(corrupt, Arrays.copyOf(png, 120));

        try (RunningService service = RunningService.start(root.resolve("data"), models);
             Browser browser = Browser.open(service.port(), 1280, 1000)) {
            browser.go("/");
            browser.await("the model line", () -> browser.find("#model").getText().contains(MODEL));
            assertThat(browser.find("#attention-field").isDisplayed()).as("an attention model: maps offered").isTrue();

            // one image: its caption is the API's own for the same options
            browser.find("#images").sendKeys(images.get(0).toString());
            awaitResults(browser, 1);
            WebElement first = browser.all("li.result").get(0);
            assertThat(first.getAttribute("data-state")).isEqualTo("done");
            String expected = service.send("POST", "/api/v1/captions?mode=beam&beamSize=3&n=3&maxLength=16&alternatives=3",
                    "image/png", png, false).body();
            JsonNode answer = tools.jackson.databind.json.JsonMapper.builder().build().readTree(expected);
            String topCaption = answer.get("captions").get(0).get("text").asString();
            List<WebElement> captions = first.findElements(org.openqa.selenium.By.cssSelector("li.caption"));
            assertThat(captions).hasSize(answer.get("captions").size());
            assertThat(captions.get(0).findElement(org.openqa.selenium.By.cssSelector(".caption-text")).getText())
                    .isEqualTo(topCaption);
            assertThat(first.findElement(org.openqa.selenium.By.tagName("img")).getAttribute("alt")).contains(topCaption);
            assertThat(first.getText()).contains("encode").contains("generate").contains("round trip");
            // the demo model is calibrated: each caption's confidence as the API gave it
            assertThat(captions.get(0).getText()).contains(String.format(java.util.Locale.ROOT, "confidence %.2f",
                    answer.get("captions").get(0).get("confidence").asDouble()));

            // hovering a word lays its map over the image
            WebElement overlay = first.findElement(org.openqa.selenium.By.tagName("canvas"));
            assertThat(overlay.isDisplayed()).isFalse();
            List<WebElement> tokens = first.findElements(org.openqa.selenium.By.cssSelector("button.token"));
            assertThat(tokens).isNotEmpty();
            browser.script("arguments[0].scrollIntoView({block: 'start'})", first);
            new Actions(browser.driver).moveToElement(tokens.get(1)).perform();
            browser.await("the attention overlay", () -> overlay.isDisplayed());
            assertThat(opaquePixels(browser, overlay)).as("the map dims the cells the model did not look at").isPositive();
            String detail = first.findElement(org.openqa.selenium.By.cssSelector(".token-detail")).getText();
            assertThat(detail).contains("looked most at row");
            // the word's own probability and the words the model nearly chose, as the API gave them
            JsonNode second = answer.get("captions").get(0);
            assertThat(detail).contains(String.format(java.util.Locale.ROOT, "p = %.3f",
                    Math.exp(second.get("tokenLogProbabilities").get(1).asDouble())));
            String nearly = second.get("alternatives").get(1).get(0).get("word").asString();
            assertThat(detail).contains("instead: " + (nearly.equals("<end>") ? "(end)" : nearly));
            browser.screenshot("caption-page-attention");
            new Actions(browser.driver).moveToElement(browser.find("h1")).perform();
            browser.await("the overlay to go", () -> !overlay.isDisplayed());

            // and so does reaching a word with the keyboard
            browser.find("#again").sendKeys("");
            for (int i = 0; i < 10 && !activeClass(browser).startsWith("token"); i++) {
                new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            }
            assertThat(activeClass(browser)).as("Tab reaches the first word").isEqualTo("token shown");
            assertThat(overlay.isDisplayed()).isTrue();

            // a corrupt file: the API's problem beside it, as a sentence
            browser.find("#images").sendKeys(corrupt.toString());
            awaitResults(browser, 2);
            WebElement broken = browser.all("li.result").get(1);
            assertThat(broken.getAttribute("data-state")).isEqualTo("error");
            JsonNode problem = tools.jackson.databind.json.JsonMapper.builder().build().readTree(
                    service.send("POST", "/api/v1/captions", "image/png", Files.readAllBytes(corrupt), false).body());
            assertThat(broken.findElement(org.openqa.selenium.By.cssSelector(".problem")).getText())
                    .contains("Could not caption this image").contains(problem.get("detail").asString());

            // the page keeps working: two more images at once
            browser.find("#images").sendKeys(images.get(1) + "\n" + images.get(2));
            awaitResults(browser, 4);
            assertThat(states(browser)).containsExactly("done", "error", "done", "done");
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1100, 1500));
            browser.screenshot("caption-page");

            // other options, every image again: greedy gives one caption each
            new Select(browser.find("#mode")).selectByValue("greedy");
            assertThat(browser.find("#beamSize").isEnabled()).isFalse();
            browser.find("#again").click();
            browser.await("captioning again", () -> states(browser).stream().noneMatch("pending"::equals)
                    && browser.all("li.result[data-state=done]").stream().allMatch(r ->
                    r.findElements(org.openqa.selenium.By.cssSelector("li.caption")).size() == 1));
            assertThat(states(browser)).containsExactly("done", "error", "done", "done");

            // a phone: nothing wider than its 360-px screen
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(360, 780));
            browser.await("the narrow layout", () -> ((Number) browser.script(
                    "return document.documentElement.scrollWidth")).intValue() <= 360);
            browser.script("arguments[0].scrollIntoView()", browser.find("#results"));
            browser.screenshot("caption-page-phone");

            // the API's own page: Swagger UI renders the description, the caption operation among it
            browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1100, 900));
            browser.go("/swagger-ui.html");
            browser.await("Swagger UI", () -> browser.find("body").getText().contains("/api/v1/captions:batch"));
            assertThat(browser.find("body").getText()).contains("captioner").contains("/admin/training-jobs");
            browser.screenshot("swagger-ui");

            assertThat(browser.console()).as("the browser console")
                    .allMatch(message -> message.contains("status of 400"));
        }
    }

    private static void awaitResults(Browser browser, int count) {
        browser.await(count + " results", () -> {
            List<String> states = states(browser);
            return states.size() == count && !states.contains("pending");
        }, () -> browser.find("#results").getAttribute("innerHTML"));
    }

    private static List<String> states(Browser browser) {
        return browser.all("li.result").stream().map(r -> r.getAttribute("data-state")).toList();
    }

    private static String activeClass(Browser browser) {
        return (String) browser.script("return document.activeElement.className");
    }

    private static long opaquePixels(Browser browser, WebElement canvas) {
        return ((Number) browser.script("""
                const c = arguments[0], d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;""", canvas)).longValue();
    }
}
