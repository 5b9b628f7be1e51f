package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.captioner.TestModels;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelStore;
import dev.captioner.training.synthetic.GeneratedScenes;
import dev.captioner.training.synthetic.ScenesDatasetGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An attention training job over HTTP behind the real seeded VGG16: it extracts conv5_3 grids (as float16 into
 * their own cache), trains the attention decoder, registers the model behind vgg16-conv5_3 and activates it in
 * place of an fc7 model; the service then answers attention=true with maps.
 */
class AttentionTrainingJobEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path root;

    @Test
    void trainsAnAttentionModelOverHttpAndServesItsMaps() throws Exception {
        Path data = root.resolve("data");
        Path models = root.resolve("models");
        ModelStore store = new ModelStore(models);
        store.save(TestModels.untrained("previous", "random:42", 4096, null));
        store.setActive("previous");
        GeneratedScenes scenes = new ScenesDatasetGenerator(61).generate(data.resolve("scenes"), 48, 1);

        try (RunningService service = RunningService.start(data, models,
                // two tiny epochs: the gate's quality floors are not what this test is about
                "--captioner.training.activation.min-non-empty-captions=0", "--captioner.training.activation.min-bleu1=0",
                "--captioner.training.activation.min-cider=0")) {
            JsonNode submitted = service.admin("POST", "/admin/training-jobs", """
                    {"dataset":{"annotations":"scenes/captions.json","images":"scenes/images"},
                     "decoder":"attention","attentionSize":16,"featurePrecision":"float16",
                     "epochs":2,"batchSize":20,"hiddenSize":16,"embeddingSize":16,"minWordCount":1,
                     "validationFraction":0.2,"metricsImages":5,"encoderWeights":"random:42",
                     "modelId":"scenes-attention","activate":true}
                    """);
            long id = submitted.get("id").asLong();
            JsonNode job = service.awaitJob(id, j -> j.get("status").asString().equals("SUCCEEDED"));
            assertThat(job.get("modelId").asString()).isEqualTo("scenes-attention");
            assertThat(job.get("epochs")).hasSize(2);

            CaptionModel model = store.load("scenes-attention");
            assertThat(model.hasAttention()).isTrue();
            assertThat(model.manifest().decoder().type()).isEqualTo("attention");
            assertThat(model.manifest().decoder().attentionSize()).isEqualTo(16);
            assertThat(model.manifest().encoder().id()).isEqualTo("vgg16-conv5_3/random:42");
            assertThat(model.manifest().hyperParameters()).containsEntry("decoder", "attention");
            try (var cached = Files.list(data.resolve("features"))) {
                assertThat(cached.map(p -> p.getFileName().toString())).contains("vgg16-conv5_3_random_42");
            }

            assertThat(job.get("activated").asBoolean()).as(job.toString()).isTrue();
            byte[] png = Files.readAllBytes(scenes.imagesDir().resolve(scenes.images().get(0).fileName()));
            HttpResponse<String> answer = service.send("POST", "/api/v1/captions?attention=true&mode=sample&seed=2",
                    "image/png", png, false);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.get("model").get("id").asString()).isEqualTo("scenes-attention");
            JsonNode caption = body.get("captions").get(0);
            assertThat(caption.get("attention").size()).isEqualTo(caption.get("tokens").size());
        }
    }
}
