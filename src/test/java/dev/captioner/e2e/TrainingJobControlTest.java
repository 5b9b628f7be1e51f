package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.captioner.training.synthetic.GeneratedDataset;
import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Queueing, cancelling and restarting jobs, and activating and deleting models, over HTTP on the real
 * application: one job runs at a time, a queued job is cancelled before it starts, a running one at its
 * next batch, and a restarted job continues after its last finished epoch.
 */
class TrainingJobControlTest {

    private static final int EPOCHS = 30;

    @TempDir
    Path root;

    @Test
    void queueCancelRestartActivateAndDelete() throws Exception {
        Path data = root.resolve("data");
        Path models = root.resolve("models");
        GeneratedDataset dataset = new ShapesDatasetGenerator(51).generate(data.resolve("shapes"), 24, 1);
        String request = """
                {"dataset":{"annotations":"shapes/captions.json","images":"shapes/images"},"epochs":%d,
                 "batchSize":4,"hiddenSize":16,"embeddingSize":16,"minWordCount":1,"metricsImages":2,
                 "encoderWeights":"random:42","modelId":"%s"}""";
        byte[] picture = Files.readAllBytes(dataset.imagesDir().resolve(dataset.images().get(0).fileName()));

        try (RunningService service = RunningService.start(data, models)) {
            assertThat(service.send("POST", "/api/v1/captions", "image/png", picture, false).statusCode())
                    .isEqualTo(503);
            long first = service.admin("POST", "/admin/training-jobs", request.formatted(EPOCHS, "first"))
                    .get("id").asLong();
            long second = service.admin("POST", "/admin/training-jobs", request.formatted(EPOCHS, "second"))
                    .get("id").asLong();

            // one at a time: the second waits, and is cancelled before it ever starts
            service.awaitJob(first, job -> job.get("status").asString().equals("RUNNING"));
            assertThat(service.admin("GET", "/admin/training-jobs/" + second, null).get("status").asString())
                    .isEqualTo("QUEUED");
            JsonNode cancelledWhileQueued = service.admin("POST", "/admin/training-jobs/" + second + "/cancel", null);
            assertThat(cancelledWhileQueued.get("status").asString()).isEqualTo("CANCELLED");
            assertThat(cancelledWhileQueued.has("startedAt")).isFalse();

            // the running one stops at its next batch, keeping the epochs it finished
            service.awaitJob(first, job -> job.path("epochs").size() >= 1);
            service.admin("POST", "/admin/training-jobs/" + first + "/cancel", null);
            JsonNode cancelled = service.awaitJob(first, job -> job.get("status").asString().equals("CANCELLED"));
            assertThat(cancelled.get("error").asString()).isEqualTo("cancelled by an admin");
            int finishedEpochs = cancelled.get("epochs").size();
            assertThat(finishedEpochs).isBetween(1, EPOCHS - 1);
            // stopped within an epoch (as a cancel nearly always is), the job shows where that epoch stood; stopped
            // between two, only the last finished one's running loss
            assertThat(cancelled.has("runningLoss")).isTrue();
            JsonNode stoppedIn = cancelled.path("currentEpoch");
            if (!stoppedIn.isMissingNode()) {
                assertThat(stoppedIn.get("epoch").asInt()).isEqualTo(finishedEpochs + 1);
                JsonNode plot = cancelled.get("runningLoss");
                assertThat(plot.get(plot.size() - 1).get("batch").asInt()).isEqualTo(stoppedIn.get("batch").asInt());
            }
            HttpResponse<String> again = service.send("POST", "/admin/training-jobs/" + first + "/cancel", null,
                    null, true);
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(service.admin("GET", "/admin/training-jobs", null)).hasSize(2);

            // restarted, it continues after its last finished epoch
            service.admin("POST", "/admin/training-jobs/" + first + "/restart", null);
            JsonNode done = service.awaitJob(first, job -> job.get("status").asString().equals("SUCCEEDED"));
            assertThat(done.get("attempts").asInt()).isEqualTo(2);
            assertThat(done.get("epochs")).hasSize(EPOCHS);
            for (int e = 0; e < finishedEpochs; e++) {
                assertThat(done.get("epochs").get(e)).isEqualTo(cancelled.get("epochs").get(e));
            }
            assertThat(service.send("POST", "/admin/training-jobs/" + first + "/restart", null, null, true)
                    .statusCode()).isEqualTo(409);
            assertThat(service.admin("GET", "/admin/training-jobs/" + second, null).get("status").asString())
                    .isEqualTo("CANCELLED");

            // activate the new model: captions come from it
            assertThat(done.has("activated")).isFalse();
            service.admin("POST", "/admin/models/first/activate", null);
            assertThat(service.caption(picture).get("model").get("id").asString()).isEqualTo("first");
            assertThat(service.send("DELETE", "/admin/models/first", null, null, true).statusCode()).isEqualTo(409);
            assertThat(service.send("POST", "/admin/models/nope/activate", null, null, true).statusCode())
                    .isEqualTo(404);
        }
    }
}
