package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import dev.captioner.TestModels;
import dev.captioner.store.ModelStore;
import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A job asked to activate its model, whose model falls short of the activation floors (set out of reach
 * here): the model is stored, the previous one keeps serving, and the job says why.
 */
class ActivationGateEndToEndTest {

    @TempDir
    Path root;

    @Test
    void aJobModelBelowTheFloorIsStoredButNotActivated() throws Exception {
        Path data = root.resolve("data");
        Path models = root.resolve("models");
        ModelStore store = new ModelStore(models);
        store.save(TestModels.untrained("previous", "random:42", 4096, null));
        store.setActive("previous");
        new ShapesDatasetGenerator(61).generate(data.resolve("shapes"), 16, 1);

        try (RunningService service = RunningService.start(data, models,
                "--captioner.training.activation.min-cider=1000")) {
            long id = service.admin("POST", "/admin/training-jobs", """
                    {"dataset":{"annotations":"shapes/captions.json","images":"shapes/images"},"epochs":1,
                     "batchSize":4,"hiddenSize":8,"embeddingSize":8,"minWordCount":1,"metricsImages":2,
                     "validationFraction":0.25,"encoderWeights":"random:42","modelId":"weak","activate":true}
                    """).get("id").asLong();
            JsonNode job = service.awaitJob(id, j -> j.get("status").asString().equals("SUCCEEDED"));

            assertThat(job.get("modelId").asString()).isEqualTo("weak");
            assertThat(job.get("activated").asBoolean()).isFalse();
            assertThat(job.get("activationRefused").asString()).startsWith("not activated: ")
                    .contains("is below the floor of 1000.000");
            JsonNode listed = service.admin("GET", "/admin/models", null);
            assertThat(listed.findValuesAsString("id")).contains("weak", "previous");
            assertThat(listed.valueStream().filter(m -> m.get("active").asBoolean())
                    .map(m -> m.get("id").asString())).containsExactly("previous");
        }
        assertThat(store.activeId()).contains("previous");
    }

    /** With the floors at zero, only the comparison with the active demo model on the job's images can refuse. */
    @Test
    void aJobModelWorseThanTheActiveOneIsNotActivatedWhenAskedToCompare() throws Exception {
        Path data = root.resolve("data");
        Path models = root.resolve("models");
        ModelStore store = new ModelStore(models);
        store.save(new ModelStore(Path.of("models")).load("demo-shapes-v1"));
        store.setActive("demo-shapes-v1");
        new ShapesDatasetGenerator(62).generate(data.resolve("shapes"), 16, 1);

        try (RunningService service = RunningService.start(data, models,
                "--captioner.training.activation.min-non-empty-captions=0",
                "--captioner.training.activation.min-bleu1=0", "--captioner.training.activation.min-cider=0",
                "--captioner.training.activation.not-worse-than-active=true")) {
            long id = service.admin("POST", "/admin/training-jobs", """
                    {"dataset":{"annotations":"shapes/captions.json","images":"shapes/images"},"epochs":1,
                     "batchSize":4,"hiddenSize":8,"embeddingSize":8,"minWordCount":1,"metricsImages":2,
                     "validationFraction":0.25,"encoderWeights":"random:42","modelId":"weak","activate":true}
                    """).get("id").asLong();
            JsonNode job = service.awaitJob(id, j -> j.get("status").asString().equals("SUCCEEDED"));

            assertThat(job.get("activated").asBoolean()).isFalse();
            assertThat(job.get("activationRefused").asString()).startsWith("not activated: CIDEr ")
                    .contains("is below the active model 'demo-shapes-v1''s")
                    .doesNotContain("floor");
        }
        assertThat(store.activeId()).contains("demo-shapes-v1");
    }
}
