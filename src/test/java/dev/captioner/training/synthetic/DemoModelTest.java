package dev.captioner.training.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.captioner.language.Captioner;
import dev.captioner.language.Vocabulary;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelStore;
import dev.captioner.training.CaptionExample;
import dev.captioner.training.DecoderTrainer;
import dev.captioner.vision.EncoderProbe;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.Vgg16Fc7Encoder;
import org.junit.jupiter.api.Test;

/**
 * The committed demo model must look at the image: on 100 freshly generated held-out images it names the
 * shape's colour far more often than a decoder trained on the same kind of captions without the image.
 */
class DemoModelTest {

    /** Never used for the committed model's training or validation data. */
    private static final long FRESH_SEED = 777_000_111L;
    private static final int HELD_OUT = 100;

    @Test
    void namesTheColourFarMoreOftenThanATextOnlyModel() {
        ModelStore store = new ModelStore(Path.of("models"));
        CaptionModel model = store.load(DemoModelBuilder.DEMO_ID);
        // the shapes demo stays in the store beside the default attention demo
        assertThat(store.list()).extracting(dev.captioner.store.StoredModel::id).contains(DemoModelBuilder.DEMO_ID);
        assertThat(model.manifest().encoder().weights()).isEqualTo(DemoModelBuilder.ENCODER_WEIGHTS);

        Vgg16Fc7Encoder encoder = Vgg16Fc7Encoder.create(EncoderWeights.parse(DemoModelBuilder.ENCODER_WEIGHTS), null);
        assertThat(EncoderProbe.mismatch(encoder, model.manifest().encoder().probe())).isEmpty();

        List<SyntheticExample> heldOut = new ShapesDatasetGenerator(FRESH_SEED).generateInMemory(HELD_OUT);
        List<BufferedImage> images = heldOut.stream().map(SyntheticExample::image).toList();
        List<ShapeColour> colours = heldOut.stream().map(e -> e.scene().colour()).toList();
        float[][] features = new float[HELD_OUT][];
        for (int from = 0; from < HELD_OUT; from += 20) {
            float[][] batch = encoder.encode(images.subList(from, from + 20));
            System.arraycopy(batch, 0, features, from, batch.length);
        }
        double accuracy = ColourNaming.accuracy(model.captioner(), model.manifest().decoder().maxLength(), features, colours);

        List<SyntheticExample> training = new ShapesDatasetGenerator(DemoModelBuilder.DATASET_SEED).generateInMemory(1000);
        List<List<String>> tokenized = training.stream().flatMap(e -> e.captions().stream())
                .map(new dev.captioner.language.PtbTokenizer()::tokenize).toList();
        assertThat(Vocabulary.build(tokenized, 5)).as("today's tokenizer rebuilds the model's vocabulary")
                .isEqualTo(model.vocabulary());

        double textOnly = textOnlyAccuracy(model.vocabulary(), training.subList(0, 400), colours, features[0].length);
        System.out.printf("demo model names the colour on %.0f%% of %d fresh images; text-only decoder %.0f%%%n",
                100 * accuracy, HELD_OUT, 100 * textOnly);
        assertThat(textOnly).as("a decoder that cannot see can only guess one colour of five").isLessThan(0.35);
        assertThat(accuracy).as("colour accuracy of the demo model").isGreaterThan(0.75);
        assertThat(accuracy - textOnly).isGreaterThan(0.45);
    }

    /** The same decoder and training recipe, trained on demo-style captions with the image features zeroed. */
    private static double textOnlyAccuracy(Vocabulary vocabulary, List<SyntheticExample> training,
                                           List<ShapeColour> colours, int featureSize) {
        List<CaptionExample> examples = new ArrayList<>();
        for (SyntheticExample example : training) {
            for (String caption : example.captions()) {
                examples.add(new CaptionExample(0,
                        vocabulary.encode(new dev.captioner.language.PtbTokenizer().tokenize(caption), 16)));
            }
        }
        float[][] blind = new float[1][featureSize];
        DecoderTrainer.Result result = new DecoderTrainer(DemoModelBuilder.defaultTraining(8))
                .train(blind, examples, List.of(), vocabulary.size(), (e, d) -> { }, () -> false);
        return ColourNaming.accuracy(new Captioner(result.best(), vocabulary), 16, new float[colours.size()][featureSize], colours);
    }
}
