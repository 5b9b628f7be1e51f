package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.captioner.TestModels;
import dev.captioner.store.ModelStore;
import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import dev.captioner.vision.KerasVgg16Files;
import dev.captioner.weights.ChecksumAlgorithm;
import dev.captioner.weights.ExpectedChecksum;
import dev.captioner.weights.FetchSettings;
import dev.captioner.weights.WeightsFetcher;
import dev.captioner.weights.WeightsSettings;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service with encoder weights {@code imagenet}: without weights installed it starts not-ready and says how
 * to install them (never a hang, never garbage captions); with a Keras-layout file installed it serves.
 * The file holds the seeded zoo graph's numbers, so the demo decoder (trained behind {@code random:42}) gives
 * the same captions behind it: proof that what is installed is what serves.
 */
@ExtendWith(OutputCaptureExtension.class)
class ImagenetWeightsEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DEMO = "demo-shapes-v1";

    @TempDir
    static Path shared;
    private static Path kerasFile;

    @BeforeAll
    static void writeWeightsFile() {
        kerasFile = shared.resolve("vgg16_weights_tf_dim_ordering_tf_kernels.h5");
        KerasVgg16Files.write(kerasFile, KerasVgg16Files.fromZooGraph(VGG16.builder().numClasses(1000).seed(42).build().init()));
    }

    /** A picture of the demo model's kind: one coloured shape. */
    private static byte[] shapes(long seed) {
        ShapesDatasetGenerator generator = new ShapesDatasetGenerator(seed);
        return ImageBytes.encode(ShapesDatasetGenerator.render(generator.randomScene()), "png");
    }

    /** The demo model, and its decoder recorded as trained behind {@code imagenet}, active. */
    private static Path modelsWithImagenetDemo(Path dir) {
        ModelStore store = new ModelStore(dir);
        store.save(TestModels.demoBehind("imagenet", "demo-imagenet"));
        store.save(new ModelStore(Path.of("models")).load(DEMO));
        store.setActive("demo-imagenet");
        return dir;
    }

    @Test
    void withoutWeightsTheServiceStartsNotReadyAndJobsAreRefused(@TempDir Path dir, CapturedOutput output) throws Exception {
        Path models = dir.resolve("models");
        ModelStore store = new ModelStore(models);
        store.save(TestModels.untrained("needs-imagenet", "imagenet", 4096, null));
        store.setActive("needs-imagenet");
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(data.resolve("coco/images"));
        Files.writeString(data.resolve("coco/captions.json"), "{\"images\":[],\"annotations\":[]}");

        try (RunningService service = RunningService.start(data, models)) {
            assertThat(service.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
            HttpResponse<String> readiness = service.send("GET", "/actuator/health/readiness", null, null, true);
            assertThat(readiness.body()).as("the reason, for the admin").contains("not installed").contains("fetch-weights");

            HttpResponse<String> caption = service.send("POST", "/api/v1/captions", "image/png",
                    shapes(1), false);
            assertThat(caption.statusCode()).isEqualTo(503);
            assertThat(caption.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
            assertThat(caption.body()).contains("fetch-weights");

            HttpResponse<String> job = service.send("POST", "/admin/training-jobs", "application/json",
                    "{\"dataset\":{\"annotations\":\"coco/captions.json\",\"images\":\"coco/images\"}}"
                            .getBytes(StandardCharsets.UTF_8), true);
            assertThat(job.statusCode()).isEqualTo(400);
            JsonNode problem = JSON.readTree(job.body());
            assertThat(problem.get("type").asString()).isEqualTo("urn:captioner:problem:weights-not-installed");
            assertThat(problem.get("detail").asString()).contains("fetch-weights").contains("random:<seed>");
        }
        assertThat(output.getOut().lines().filter(line -> line.contains("not ready:"))).as("one clear log line").hasSize(1);
    }

    @Test
    void installedKerasWeightsServeTheSameCaptionsAsTheSameNumbersPutInDirectly(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        new WeightsFetcher(FetchSettings.defaults()).installFile(kerasFile,
                List.of(new ExpectedChecksum(ChecksumAlgorithm.SHA256, ChecksumAlgorithm.SHA256.compute(kerasFile))),
                WeightsSettings.installDir(data));
        Path models = modelsWithImagenetDemo(dir.resolve("models"));
        long start = System.nanoTime();
        try (RunningService service = RunningService.start(data, models)) {
            System.out.printf("service behind installed Keras weights (imagenet) ready in %d ms%n",
                    (System.nanoTime() - start) / 1_000_000);
            assertThat(service.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
            byte[] image = shapes(7);
            JsonNode behindKeras = service.caption(image);
            assertThat(behindKeras.at("/model/encoder").asString()).isEqualTo("vgg16/imagenet");

            service.admin("POST", "/admin/models/" + DEMO + "/activate", null);
            JsonNode behindRandom42 = service.caption(image);
            assertThat(behindRandom42.at("/model/encoder").asString()).isEqualTo("vgg16/random:42");
            assertThat(behindKeras.at("/captions/0/text").asString()).isNotBlank()
                    .isEqualTo(behindRandom42.at("/captions/0/text").asString());
            assertThat(behindKeras.at("/captions/0/logProbability").asDouble())
                    .isEqualTo(behindRandom42.at("/captions/0/logProbability").asDouble());
        }
    }

    @Test
    void aConfiguredWeightsFileIsVerifiedBeforeItIsUsed(@TempDir Path dir, CapturedOutput output) throws Exception {
        Path models = modelsWithImagenetDemo(dir.resolve("models"));
        Path data = Files.createDirectories(dir.resolve("data"));
        try (RunningService service = RunningService.start(data, models, "--captioner.encoder-weights-file=" + kerasFile)) {
            assertThat(service.get("/actuator/health/readiness").statusCode()).as("seeded weights match no published checksum")
                    .isEqualTo(503);
            HttpResponse<String> readiness = service.send("GET", "/actuator/health/readiness", null, null, true);
            assertThat(readiness.body()).contains("matches none of the known VGG16 ImageNet checksums");
        }
        String sha256 = ChecksumAlgorithm.SHA256.compute(kerasFile);
        try (RunningService service = RunningService.start(data, models, "--captioner.encoder-weights-file=" + kerasFile,
                "--captioner.weights.file-checksum=sha256:" + sha256)) {
            assertThat(service.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
            assertThat(service.caption(shapes(3)).at("/model/id").asString()).isEqualTo("demo-imagenet");
        }
    }
}
