package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.captioner.store.ModelStore;
import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import tools.jackson.databind.JsonNode;

/**
 * A training job interrupted twice by stopping the whole application, once during feature extraction and
 * once during training, and resumed by starting it again: stored features are not recomputed, finished
 * epochs are not retrained, and no half-written model ever appears in {@code models/}.
 */
class TrainingJobResumeTest {

    private static final int TRAIN_IMAGES = 40;
    private static final int VALIDATION_IMAGES = 8;
    private static final int EPOCHS = 40;

    @TempDir
    Path root;

    @Test
    void resumesAfterStopsDuringFeaturesAndDuringTraining() throws Exception {
        Path data = root.resolve("data");
        Path models = root.resolve("models");
        Files.createDirectories(models);
        new ShapesDatasetGenerator(31).generate(data.resolve("shapes/train"), TRAIN_IMAGES, 1);
        new ShapesDatasetGenerator(32).generate(data.resolve("shapes/val"), VALIDATION_IMAGES, 1001);
        String request = """
                {"dataset":{"annotations":"shapes/train/captions.json","images":"shapes/train/images"},
                 "validation":{"annotations":"shapes/val/captions.json","images":"shapes/val/images"},
                 "epochs":%d,"batchSize":10,"hiddenSize":48,"embeddingSize":32,"minWordCount":1,
                 "featureBatchSize":4,"metricsImages":4,"encoderWeights":"random:42","modelId":"resumed"}
                """.formatted(EPOCHS);
        int totalImages = TRAIN_IMAGES + VALIDATION_IMAGES;
        long id;
        Map<Path, Long> featuresOfFirstRun;

        // 1. stop while features are being extracted
        try (RunningService service = RunningService.start(data, models)) {
            id = service.admin("POST", "/admin/training-jobs", request).get("id").asLong();
            service.awaitJob(id, job -> job.path("features").path("done").asInt() >= 16);
        }
        featuresOfFirstRun = cachedFeatures(data);
        assertThat(featuresOfFirstRun.size()).isBetween(16, totalImages - 1);
        assertNoModelIn(models);

        // 2. start again: the job resumes by itself; stop it once a few epochs are done
        JsonNode duringTraining;
        try (RunningService service = RunningService.start(data, models)) {
            duringTraining = service.awaitJob(id, job -> job.path("epochs").size() >= 2);
            JsonNode features = duringTraining.get("features");
            assertThat(features.get("encoded").asInt()).isEqualTo(totalImages);
            assertThat(features.get("reused").asInt()).isZero();
        }
        Map<Path, Long> featuresAfterSecondRun = cachedFeatures(data);
        assertThat(featuresAfterSecondRun).hasSize(totalImages).containsAllEntriesOf(featuresOfFirstRun);
        assertNoModelIn(models);

        // 3. start again: training continues after the last finished epoch and the job completes
        try (RunningService service = RunningService.start(data, models)) {
            JsonNode done = service.awaitJob(id, job -> job.get("status").asString().equals("SUCCEEDED"));
            assertThat(done.get("attempts").asInt()).isEqualTo(3);
            assertThat(done.get("epochs")).hasSize(EPOCHS);
            assertThat(done.get("modelId").asString()).isEqualTo("resumed");
            // the running loss shown is the last epoch's, trained by the last execution, not a stopped one's
            assertThat(done.has("currentEpoch")).isFalse();
            JsonNode plot = done.get("runningLoss");
            assertThat(plot.get(plot.size() - 1).get("loss").asDouble()).isCloseTo(
                    done.get("epochs").get(EPOCHS - 1).get("trainLoss").asDouble(), within(1e-9));
            // epochs recorded before the stop are the same records, not a re-run (a re-run would time differently)
            for (int e = 0; e < duringTraining.get("epochs").size(); e++) {
                assertThat(done.get("epochs").get(e)).isEqualTo(duringTraining.get("epochs").get(e));
            }
            JobRepository repository = service.bean(JobRepository.class);
            JobInstance instance = repository.getJobInstance(id);
            StepExecution lastTraining = repository.getLastStepExecution(instance, "train");
            int epochsBeforeLastStart = epochsDoneWhenStopped(repository, instance);
            assertThat(epochsBeforeLastStart).isGreaterThanOrEqualTo(2);
            assertThat(lastTraining.getCommitCount()).isEqualTo(EPOCHS - epochsBeforeLastStart);
            assertThat(service.bean(ModelStore.class).exists("resumed")).isTrue();
        }
        assertThat(cachedFeatures(data)).isEqualTo(featuresAfterSecondRun);
    }

    /** Epochs the train step had committed in the execution before the last one. */
    private static int epochsDoneWhenStopped(JobRepository repository, JobInstance instance) {
        var executions = repository.getJobExecutions(instance).stream()
                .sorted((a, b) -> Long.compare(a.getId(), b.getId())).toList();
        var second = repository.getJobExecution(executions.get(1).getId());
        return (int) second.getStepExecutions().stream().filter(s -> s.getStepName().equals("train"))
                .mapToLong(StepExecution::getCommitCount).sum();
    }

    /** Every cached feature file and its modification time. */
    private static Map<Path, Long> cachedFeatures(Path data) throws IOException {
        Map<Path, Long> files = new TreeMap<>();
        Path cache = data.resolve("features");
        if (!Files.exists(cache)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(cache)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".f32")).toList()) {
                files.put(file, Files.getLastModifiedTime(file).toMillis());
            }
        }
        return files;
    }

    /** Neither a finished nor a half-written model: models/ holds nothing visible, and no job model. */
    private static void assertNoModelIn(Path models) throws IOException {
        assertThat(new ModelStore(models).list()).isEmpty();
        try (Stream<Path> entries = Files.list(models)) {
            assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")))
                    .isEmpty();
        }
    }
}
