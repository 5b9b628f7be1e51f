package dev.captioner.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelStore;
import org.junit.jupiter.api.Test;

/**
 * The options a request gets without asking for more (no length penalty, no trigram guard) caption the demo models
 * bit for bit as the service did before those options existed: the golden file was written by this test's
 * {@link #captionLines} at commit 6fc6719, log-probabilities as the bits of their doubles.
 */
class DefaultDecodingGoldenTest {

    private static final String GOLDEN = "default-decoding-golden.txt";

    private static final List<CaptionOptions> OPTIONS = List.of(
            new CaptionOptions(CaptionOptions.Mode.BEAM, 3, 3, 1.0, 16, null),
            new CaptionOptions(CaptionOptions.Mode.BEAM, 1, 1, 1.0, 16, null),
            new CaptionOptions(CaptionOptions.Mode.BEAM, 8, 4, 1.0, 6, null),
            new CaptionOptions(CaptionOptions.Mode.GREEDY, 3, 1, 1.0, 16, null),
            new CaptionOptions(CaptionOptions.Mode.SAMPLE, 3, 4, 0.8, 16, 7L));

    /** Every caption of every option on seeded random features, one line each. */
    static List<String> captionLines() {
        ModelStore store = new ModelStore(Path.of("models"));
        List<String> lines = new ArrayList<>();
        for (String id : List.of("demo-scenes-attention-v1", "demo-shapes-v1")) {
            CaptionModel model = store.load(id);
            Captioner captioner = new Captioner(model.decoder(), model.vocabulary());
            for (int seed = 1; seed <= 4; seed++) {
                float[] features = standardNormal(model.decoder(), new Random(seed));
                for (int o = 0; o < OPTIONS.size(); o++) {
                    List<Captioner.Caption> captions = captioner.captions(features, OPTIONS.get(o));
                    for (int c = 0; c < captions.size(); c++) {
                        Captioner.Caption caption = captions.get(c);
                        lines.add(id + " seed " + seed + " options " + o + " caption " + c + " " + caption.complete()
                                + " " + Long.toHexString(Double.doubleToLongBits(caption.logProbability()))
                                + " " + caption.text());
                    }
                }
            }
        }
        return lines;
    }

    /** Features the decoder standardises to N(0, 1) draws, each dimension (or grid channel) by its own mean and scale. */
    private static float[] standardNormal(CaptionDecoder decoder, Random random) {
        float[] mean = decoder.parameters().get("featureMean").toFloatVector();
        float[] scale = decoder.parameters().get("featureScale").toFloatVector();
        float[] features = new float[decoder.featureSize()];
        for (int i = 0; i < features.length; i++) {
            int d = i % mean.length;
            features[i] = mean[d] + (scale[d] == 0 ? 0 : (float) random.nextGaussian() / scale[d]);
        }
        return features;
    }

    @Test
    void defaultsCaptionTheDemoModelsAsBefore() throws IOException {
        List<String> lines = captionLines();
        String write = System.getProperty("golden.write");
        if (write != null) {
            Files.write(Path.of(write), lines, StandardCharsets.UTF_8);
        }
        try (InputStream in = getClass().getResourceAsStream(GOLDEN)) {
            assertThat(in).as(GOLDEN).isNotNull();
            List<String> golden = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            assertThat(lines).containsExactlyElementsOf(golden);
        }
    }
}
