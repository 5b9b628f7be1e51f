package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import dev.captioner.TestModels;
import dev.captioner.store.ModelStore;
import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The admin pages in real Chromium on the real application: sign in with the form, have a bad field refused with
 * the API's own message beside it, start a small job on a generated dataset, watch it reach the end on the jobs list
 * and its plots fill on the job page, activate its model from the models table, and see the caption page name it.
 */
class AdminPagesBrowserTest {

    private static final int EPOCHS = 3;
    private static final String MODEL = "shapes-from-page";

    @TempDir
    Path root;

    @BeforeAll
    static void browserInstalled() {
        Assumptions.assumeTrue(Browser.unavailable().isEmpty(), () -> "skipped: " + Browser.unavailable().orElseThrow());
    }

    @Test
    void signInStartAJobWatchItActivateItsModel() throws Exception {
        Path data = root.resolve("data");
        Path models = root.resolve("models");
        ModelStore store = new ModelStore(models);
        store.save(TestModels.untrained("previous", "random:42", 4096, null));
        store.setActive("previous");
        new ShapesDatasetGenerator(41).generate(data.resolve("coco/train"), 60, 1);
        new ShapesDatasetGenerator(42).generate(data.resolve("coco/val"), 12, 100_001);

        try (RunningService service = RunningService.start(data, models);
             Browser browser = Browser.open(service.port(), 1280, 1000)) {
            // the pages want a signed-in session: first the sign-in form, and a wrong password says so
            browser.go("/admin/ui/");
            browser.await("the sign-in page", () -> browser.path().startsWith("/admin/ui/login"));
            browser.find("#password").sendKeys("wrong");
            browser.find("#sign-in button").click();
            browser.await("the refusal", () -> browser.find("#sign-in-problem").isDisplayed());
            assertThat(browser.find("#sign-in-problem").getText()).contains("wrong user name or password");
            browser.screenshot("admin-sign-in");
            browser.find("#password").clear();
            browser.find("#password").sendKeys(RunningService.PASSWORD);
            browser.find("#sign-in button").click();
            browser.await("the admin page", () -> browser.path().equals("/admin/ui/")
                    && browser.find("#jobs-updated").getText().contains("No training jobs"));

            // a field out of range: the API's message beside that field, nothing started
            fill(browser, "dataset.annotations", "coco/train/captions.json");
            fill(browser, "dataset.images", "coco/train/images");
            fill(browser, "validation.annotations", "coco/val/captions.json");
            fill(browser, "validation.images", "coco/val/images");
            fill(browser, "epochs", "5000");
            browser.find("#start button[type=submit]").click();
            browser.await("the field's message", () -> !browser.all("#start .field .error").isEmpty());
            WebElement epochs = browser.find("[id='epochs']");
            assertThat(epochs.getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(browser.find("[id='epochs-error']").getText()).contains("less than or equal to 1000");
            assertThat(browser.all("#job-rows tr")).isEmpty();
            browser.screenshot("admin-start-form-error");

            fill(browser, "epochs", String.valueOf(EPOCHS));
            fill(browser, "batchSize", "20");
            fill(browser, "hiddenSize", "32");
            fill(browser, "embeddingSize", "32");
            fill(browser, "minWordCount", "1");
            fill(browser, "maxLength", "12");
            fill(browser, "metricsImages", "12");
            fill(browser, "encoderWeights", "random:42");
            fill(browser, "modelId", MODEL);
            new Select(browser.find("[id='decoder']")).selectByValue("lstm");
            browser.find("#start button[type=submit]").click();
            browser.await("the job to start", () -> browser.find("#start-result").getText().startsWith("Started job"));
            assertThat(browser.all("#start .field .error")).as("the old message is gone").isEmpty();

            // the jobs list follows it to the end
            // (read by script: the list is redrawn every poll, so elements found earlier go stale)
            browser.await("the job to succeed on the jobs list", () -> "SUCCEEDED".equals(browser.script(
                    "return document.querySelector('#job-rows tr')?.dataset.status")),
                    () -> browser.script("return document.querySelector('#job-rows').textContent"));
            assertThat((String) browser.script("return document.querySelector('#job-rows tr').textContent"))
                    .contains("100%").contains(MODEL);
            browser.screenshot("admin-page");

            // its page: every epoch plotted, the metrics too
            browser.script("document.querySelector('#job-rows tr a').click()");
            browser.await("the job page", () -> browser.path().startsWith("/admin/ui/job?id=")
                    && "SUCCEEDED".equals(browser.find("#job-status").getText()));
            browser.await("the plots", () -> points(browser, "loss-plot") == EPOCHS);
            assertThat(points(browser, "metrics-plot")).isEqualTo(EPOCHS);
            // the last epoch's batch-level running loss, a point per batch: 60 images' 300 captions in batches of 20
            assertThat(points(browser, "running-plot")).isEqualTo(15);
            assertThat(browser.all("#loss-plot canvas")).as("uPlot drew the loss").isNotEmpty();
            assertThat(browser.all("#epoch-rows tr")).hasSize(EPOCHS);
            assertThat(browser.find("#job-facts").getText()).contains("Caption confidence");
            browser.screenshot("admin-job-page");

            // the models table: activate the new model, confirming
            browser.go("/admin/ui/#models");
            String modelRow = "#model-rows tr[data-model='" + MODEL + "']";
            browser.await("the new model in the table", () -> (Boolean) browser.script(
                    "return document.querySelector(arguments[0]) !== null", modelRow));
            browser.script("document.querySelector(arguments[0]).click()", modelRow + " button[aria-label^='activate']");
            browser.driver.switchTo().alert().accept();
            browser.await("the model to serve", () -> "true".equals(browser.script(
                    "return document.querySelector(arguments[0])?.dataset.active", modelRow)));
            browser.script("window.scrollTo(0, 0)");
            browser.screenshot("admin-models");

            // deleting asks first: dismissed, the model stays; confirmed, it goes from the table and the store
            String previousRow = "#model-rows tr[data-model='previous']";
            browser.script("document.querySelector(arguments[0]).click()", previousRow + " button[aria-label^='delete']");
            browser.driver.switchTo().alert().dismiss();
            assertThat(store.exists("previous")).isTrue();
            browser.script("document.querySelector(arguments[0]).click()", previousRow + " button[aria-label^='delete']");
            browser.driver.switchTo().alert().accept();
            browser.await("the deleted model to leave the table", () -> (Boolean) browser.script(
                    "return document.querySelector(arguments[0]) === null", previousRow));
            assertThat(store.exists("previous")).isFalse();

            // the caption page names it
            browser.go("/");
            browser.await("the caption page's model", () -> browser.find("#model").getText().contains(MODEL));
            assertThat(browser.find("#attention-field").isDisplayed()).as("an fc7 model offers no maps").isFalse();

            // signing out ends the session: the pages want the form again
            browser.go("/admin/ui/");
            browser.await("the admin page", () -> browser.path().equals("/admin/ui/"));
            browser.find("#sign-out").click();
            browser.await("the sign-in page", () -> browser.path().startsWith("/admin/ui/login"));
            browser.go("/admin/ui/");
            browser.await("the sign-in page again", () -> browser.path().startsWith("/admin/ui/login"));

            assertThat(browser.console()).as("the browser console")
                    .allMatch(message -> message.contains("status of 400") || message.contains("status of 401"));
        }
    }

    private static void fill(Browser browser, String id, String value) {
        WebElement input = browser.find("[id='" + id + "']");
        input.clear();
        input.sendKeys(value);
    }

    private static int points(Browser browser, String plot) {
        return Integer.parseInt(browser.find("#" + plot).getAttribute("data-points"));
    }
}
