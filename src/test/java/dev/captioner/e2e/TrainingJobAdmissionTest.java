package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a job would fail on after hours of work is refused when it is submitted: a job over the memory budget,
 * a value that Jackson would have coerced, a model that could not be activated, a model id another queued job
 * or a stored model already has.
 */
class TrainingJobAdmissionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DATASET = "\"dataset\":{\"annotations\":\"shapes/captions.json\",\"images\":\"shapes/images\"},"
            + "\"epochs\":1,\"batchSize\":4,\"hiddenSize\":16,\"embeddingSize\":16,\"minWordCount\":1,\"metricsImages\":0,"
            + "\"encoderWeights\":\"random:42\"";

    @TempDir
    Path root;

    @Test
    void refusesAtSubmitWhatWouldFailLater() throws Exception {
        Path data = root.resolve("data");
        Path models = root.resolve("models");
        new ShapesDatasetGenerator(61).generate(data.resolve("shapes"), 12, 1);
        // the model the second accepted job (id 2) would register by default
        Files.createDirectories(models.resolve("job-2"));
        Files.writeString(models.resolve("job-2/manifest.json"), "{}");

        try (RunningService service = RunningService.start(data, models, "--captioner.encoder-weights=random:42")) {
            JsonNode tooLarge = refused(service, 400, ",\"featureBatchSize\":256");
            assertThat(tooLarge.get("type").asString()).isEqualTo("urn:captioner:problem:invalid-job-request");
            assertThat(tooLarge.get("detail").asString()).startsWith("the job would need about 14.")
                    .contains("feature extraction 14.5 GB for featureBatchSize")
                    .contains("over the training memory budget of 8.0 GB (captioner.training.memory-budget)");
            assertThat(refused(service, 400, ",\"hiddenSize\":4096,\"embeddingSize\":4096").get("detail").asString())
                    .contains("decoder weights and optimiser state 7.");
            assertThat(refused(service, 400, ",\"batchSize\":1.5").get("detail").asString())
                    .isEqualTo("'batchSize' must be a whole number (got 1.5)");

            JsonNode unservable = refused(service, 409, ",\"encoderWeights\":\"random:7\",\"activate\":true");
            assertThat(unservable.get("type").asString()).isEqualTo("urn:captioner:problem:model-unusable");
            assertThat(unservable.get("detail").asString()).contains("vgg16/random:7").contains("vgg16/random:42");

            long first = submit(service, ",\"modelId\":\"twin\"").get("id").asLong();
            JsonNode twin = refused(service, 409, ",\"modelId\":\"twin\"");
            assertThat(twin.get("type").asString()).isEqualTo("urn:captioner:problem:model-conflict");
            assertThat(twin.get("detail").asString()).contains("'twin' is reserved by job " + first);
            JsonNode defaultTaken = refused(service, 409, "");
            assertThat(defaultTaken.get("detail").asString()).contains("'job-2' already exists");
            assertThat(service.admin("GET", "/admin/training-jobs", null)).as("refused jobs leave nothing").hasSize(1);
            assertThat(submit(service, "").get("id").asLong()).isEqualTo(3);

            // what the job held (workspace, encoder buffers, native arrays) is given back when it ends
            service.awaitJob(first, job -> job.get("status").asString().equals("SUCCEEDED"));
            JsonNode releases = service.admin("GET", "/actuator/metrics/captioner.memory.releases", null);
            assertThat(releases.get("measurements").get(0).get("value").asDouble()).isGreaterThanOrEqualTo(1);
        }
    }

    private static JsonNode submit(RunningService service, String more) throws Exception {
        return service.admin("POST", "/admin/training-jobs", "{" + DATASET + more + "}");
    }

    private static JsonNode refused(RunningService service, int status, String more) throws Exception {
        HttpResponse<String> response = service.send("POST", "/admin/training-jobs", "application/json",
                ("{" + DATASET + more + "}").getBytes(StandardCharsets.UTF_8), true);
        assertThat(response.statusCode()).as(more + ": " + response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }
}
