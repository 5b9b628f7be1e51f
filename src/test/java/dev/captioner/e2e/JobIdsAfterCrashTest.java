package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service stopped without closing its H2 job database (as a crash or {@code kill -9} leaves it) and started
 * again on the same data dir numbers the next job one past the last, not 32 past it.
 */
class JobIdsAfterCrashTest {

    private static final String REQUEST = """
            {"dataset":{"annotations":"shapes/captions.json","images":"shapes/images"},"epochs":50,
             "batchSize":4,"hiddenSize":16,"embeddingSize":16,"minWordCount":1,"metricsImages":2,
             "encoderWeights":"random:42"}""";

    @TempDir
    Path root;

    @Test
    void theJobAfterACrashTakesTheNextId() throws Exception {
        Path data = root.resolve("data");
        Path models = Files.createDirectories(root.resolve("models"));
        new ShapesDatasetGenerator(61).generate(data.resolve("shapes"), 8, 1);

        long before;
        try (RunningService service = RunningService.start(data, models)) {
            before = submitAndCancel(service);
            service.crashDatabase();
        }
        try (RunningService service = RunningService.start(data, models)) {
            assertThat(submitAndCancel(service)).isEqualTo(before + 1);
        }
    }

    private static long submitAndCancel(RunningService service) throws Exception {
        long id = service.admin("POST", "/admin/training-jobs", REQUEST).get("id").asLong();
        service.admin("POST", "/admin/training-jobs/" + id + "/cancel", null);
        service.awaitJob(id, job -> job.get("status").asString().equals("CANCELLED"));
        return id;
    }
}
