package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A job that keeps being interrupted is resumed at startup a bounded number of times, then left failed with the
 * reason (one that takes the process down would otherwise do so at every start); restarted by an admin under
 * a budget it no longer fits, it fails before training instead of allocating.
 */
class TrainingJobResumeLimitTest {

    @TempDir
    Path root;

    @Test
    void stopsResumingAfterTheLimitAndChecksTheBudgetAgainBeforeTraining() throws Exception {
        Path data = root.resolve("data");
        Path models = root.resolve("models");
        new ShapesDatasetGenerator(71).generate(data.resolve("shapes"), 40, 1);
        String request = """
                {"dataset":{"annotations":"shapes/captions.json","images":"shapes/images"},"epochs":2,
                 "batchSize":4,"hiddenSize":16,"embeddingSize":16,"minWordCount":1,"metricsImages":0,
                 "featureBatchSize":2,"encoderWeights":"random:42","modelId":"limited"}""";
        String oneResume = "--captioner.training.max-automatic-resumes=1";
        long id;
        int doneBefore;

        try (RunningService service = RunningService.start(data, models, oneResume)) {
            id = service.admin("POST", "/admin/training-jobs", request).get("id").asLong();
            doneBefore = service.awaitJob(id, job -> job.path("features").path("done").asInt() >= 4)
                    .path("features").path("done").asInt();
        }
        try (RunningService service = RunningService.start(data, models, oneResume)) {
            int before = doneBefore;
            service.awaitJob(id, job -> job.get("attempts").asInt() == 2
                    && job.path("features").path("done").asInt() > before);
        }
        try (RunningService service = RunningService.start(data, models, oneResume,
                "--captioner.training.memory-budget=64MB")) {
            JsonNode given = service.admin("GET", "/admin/training-jobs/" + id, null);
            assertThat(given.get("status").asString()).isEqualTo("FAILED");
            assertThat(given.get("attempts").asInt()).isEqualTo(2);
            assertThat(given.get("error").asString()).startsWith("interrupted 2 times in a row")
                    .contains("not resumed automatically after 1 resumes");

            service.admin("POST", "/admin/training-jobs/" + id + "/restart", null);
            JsonNode failed = service.awaitJob(id, job -> job.get("attempts").asInt() == 3
                    && job.get("status").asString().equals("FAILED"));
            assertThat(failed.get("step").asString()).isEqualTo("train");
            assertThat(failed.get("error").asString()).startsWith("the job would need about ")
                    .contains("over the training memory budget of 64 MB");
            assertThat(failed.path("epochs")).isEmpty();
        }
    }
}
