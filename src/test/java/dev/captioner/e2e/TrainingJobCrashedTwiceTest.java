package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A job whose process dies twice while it runs (the job database left as a crash leaves it, the execution
 * still STARTED) is resumed after each start, and the service starts every time. Before, the execution resumed
 * after the first crash carried Spring Batch's "recovered" mark, so after the second crash it could not be
 * recovered, its resume was refused as "running", and the service refused to start at all: a crash loop.
 */
class TrainingJobCrashedTwiceTest {

    private static final String REQUEST = """
            {"dataset":{"annotations":"shapes/captions.json","images":"shapes/images"},"epochs":1000,
             "batchSize":4,"hiddenSize":16,"embeddingSize":16,"minWordCount":1,"metricsImages":2,
             "encoderWeights":"random:42"}""";

    @TempDir
    Path root;

    @Test
    void aJobCrashedTwiceIsResumedAndTheServiceStarts() throws Exception {
        Path data = root.resolve("data");
        Path models = Files.createDirectories(root.resolve("models"));
        new ShapesDatasetGenerator(62).generate(data.resolve("shapes"), 8, 1);

        long id;
        try (RunningService service = RunningService.start(data, models)) {
            id = service.admin("POST", "/admin/training-jobs", REQUEST).get("id").asLong();
            awaitTraining(service, id, 1);
            service.crashDatabase();
        }
        for (int start = 2; start <= 3; start++) {
            try (RunningService service = RunningService.start(data, models)) {
                JsonNode resumed = awaitTraining(service, id, start);
                assertThat(resumed.get("status").asString()).isEqualTo("RUNNING");
                if (start == 2) {
                    service.crashDatabase();
                } else {
                    service.admin("POST", "/admin/training-jobs/" + id + "/cancel", null);
                    service.awaitJob(id, job -> job.get("status").asString().equals("CANCELLED"));
                }
            }
        }
    }

    /** Waits until execution {@code attempt} of the job is training. */
    private static JsonNode awaitTraining(RunningService service, long id, int attempt) throws Exception {
        return service.awaitJob(id, job -> job.get("attempts").asInt() == attempt
                && job.get("status").asString().equals("RUNNING") && "train".equals(job.path("step").asString()));
    }
}
