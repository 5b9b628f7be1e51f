package dev.captioner.training.synthetic;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.dataset.CocoCaptions;
import dev.captioner.language.Captioner;
import dev.captioner.language.CaptionDecoder;
import dev.captioner.language.Vocabulary;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStore;
import dev.captioner.training.CaptionCorpus;
import dev.captioner.training.CaptionExample;
import dev.captioner.training.DecoderTrainer;
import dev.captioner.training.FeatureExtractor;
import dev.captioner.training.FeatureMatrices;
import dev.captioner.training.TrainedModelRecord;
import dev.captioner.training.TrainingConfig;
import dev.captioner.training.ValidationCaptionMetrics;
import dev.captioner.vision.EncoderProbe;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.Vgg16Fc7Encoder;

/**
 * Makes the embedded demo model end to end with the project's own code: generates a synthetic COCO-format
 * dataset, reads it back through the COCO reader, extracts fc7 features with a seeded random VGG16, trains
 * the decoder, measures colour naming against a text-only decoder trained on the same captions, and stores
 * the model.
 */
public final class DemoModelBuilder {

    public record Options(Path modelsDir, Path dataDir, String modelId, int trainImages, int validationImages,
                          long datasetSeed, String encoderWeights, TrainingConfig training, int minWordCount,
                          int maxLength, boolean activate) {
    }

    /** The committed demo model's id, dataset seed and encoder weights: what {@code train-demo} rebuilds. */
    public static final String DEMO_ID = "demo-shapes-v1";
    private static final int FEATURE_BATCH = 16;
    public static final long DATASET_SEED = 20261123L;
    public static final String ENCODER_WEIGHTS = "random:42";

    /** The demo's recipe: embedding and hidden 64, batch 50, Adam 2e-3 decaying 0.95, clip 5, dropout 0.3. */
    public static TrainingConfig defaultTraining(int epochs) {
        return new TrainingConfig(64, 64, epochs, 50, 2e-3, 0.95, 5.0, 0.3, 1e-4, 7);
    }

    public record Report(CaptionModel model, double colourAccuracy, double textOnlyColourAccuracy,
                         double featureSecondsPerImage, List<DecoderTrainer.EpochResult> epochs) {
    }

    private final Consumer<String> progress;

    public DemoModelBuilder(Consumer<String> progress) {
        this.progress = progress;
    }

    public Report build(Options options, Vgg16Fc7Encoder encoder) throws IOException {
        Path datasetDir = options.dataDir().resolve("demo-shapes");
        progress.accept("generating " + options.trainImages() + " training and " + options.validationImages()
                + " validation images in " + datasetDir);
        GeneratedDataset train = new ShapesDatasetGenerator(options.datasetSeed())
                .generate(datasetDir.resolve("train"), options.trainImages(), 1);
        GeneratedDataset validation = new ShapesDatasetGenerator(options.datasetSeed() + 1)
                .generate(datasetDir.resolve("val"), options.validationImages(), 1_000_001);

        CaptionCorpus trainCorpus = CaptionCorpus.of(CocoCaptions.read(train.annotationsFile()).images(train.imagesDir()));
        CaptionCorpus validationCorpus = CaptionCorpus.of(CocoCaptions.read(validation.annotationsFile()).images(validation.imagesDir()));

        Path cache = datasetDir.resolve("features-" + encoder.id().replaceAll("[^a-z0-9]+", "-") + "-"
                + options.datasetSeed() + "-" + options.trainImages() + "-" + options.validationImages() + ".bin");
        float[][] trainFeatures;
        float[][] validationFeatures;
        double secondsPerImage = Double.NaN;
        Optional<Map<String, float[][]>> cached = FeatureMatrices.read(cache);
        if (cached.isPresent()) {
            trainFeatures = cached.get().get("train");
            validationFeatures = cached.get().get("validation");
            progress.accept("reusing fc7 features from " + cache);
        } else {
            FeatureExtractor extractor = new FeatureExtractor(
                    new ImageDecoder(CaptionerProperties.defaults(options.modelsDir()).maxPixels()));
            long start = System.nanoTime();
            trainFeatures = extract(extractor, encoder, trainCorpus, "training");
            validationFeatures = extract(extractor, encoder, validationCorpus, "validation");
            secondsPerImage = (System.nanoTime() - start) / 1e9 / (trainFeatures.length + validationFeatures.length);
            FeatureMatrices.write(cache, Map.of("train", trainFeatures, "validation", validationFeatures));
        }

        Vocabulary vocabulary = Vocabulary.build(trainCorpus.allCaptions(), options.minWordCount());
        progress.accept("vocabulary: " + vocabulary.size() + " tokens");
        float[][] features = concat(trainFeatures, validationFeatures);
        List<CaptionExample> trainExamples = trainCorpus.examples(vocabulary, options.maxLength(), trainFeatures, 0);
        List<CaptionExample> validationExamples = validationCorpus.examples(vocabulary, options.maxLength(),
                validationFeatures, trainFeatures.length);

        progress.accept("training the decoder on " + trainExamples.size() + " captions");
        List<List<String>> validationReferences = new ArrayList<>(
                CocoCaptions.read(validation.annotationsFile()).captionsByImage().values());
        DecoderTrainer trainer = new DecoderTrainer(options.training(), new ValidationCaptionMetrics(
                vocabulary, validationFeatures, validationReferences, options.maxLength()));
        DecoderTrainer.Result result = trainer.train(features, trainExamples, validationExamples, vocabulary.size(),
                (epoch, decoder) -> progress.accept(String.format("epoch %d: train loss %.3f, validation loss %.3f, %s",
                        epoch.epoch(), epoch.trainLoss(), epoch.validationLoss(), epoch.metrics())), () -> false);

        progress.accept("training the text-only baseline (same captions, image features zeroed)");
        float[][] blind = new float[features.length][features[0].length];
        DecoderTrainer.Result textOnly = new DecoderTrainer(options.training()).train(blind, trainExamples, validationExamples, vocabulary.size(),
                (epoch, decoder) -> { }, () -> false);

        List<ShapeColour> validationColours = colours(validation, validationCorpus);
        double accuracy = ColourNaming.accuracy(new Captioner(result.best(), vocabulary), options.maxLength(),
                validationFeatures, validationColours);
        double blindAccuracy = ColourNaming.accuracy(new Captioner(textOnly.best(), vocabulary), options.maxLength(),
                new float[validationFeatures.length][features[0].length], validationColours);
        progress.accept(String.format("colour named correctly on %d held-out images: model %.1f%%, text-only %.1f%%",
                validationFeatures.length, 100 * accuracy, 100 * blindAccuracy));

        DecoderTrainer.EpochResult bestEpoch = result.epochs().get(result.bestEpoch() - 1);
        Map<String, Object> metrics = TrainedModelRecord.metrics(trainFeatures.length, validationFeatures.length,
                result.bestEpoch(), bestEpoch, bestEpoch.metrics());
        metrics.put("validationColourAccuracy", accuracy);
        metrics.put("textOnlyValidationColourAccuracy", blindAccuracy);
        Map<String, Object> hyper = TrainedModelRecord.hyperParameters(options.training(), options.minWordCount(),
                options.maxLength(), "synthetic shapes, seed " + options.datasetSeed());
        CaptionModel model = withManifest(vocabulary, result.best(), EncoderProbe.measure(encoder), options, hyper, metrics);

        ModelStore store = new ModelStore(options.modelsDir());
        store.replace(model);
        if (options.activate()) {
            store.setActive(model.id());
        }
        progress.accept("stored model " + model.id() + " in " + store.root());
        return new Report(model, accuracy, blindAccuracy, secondsPerImage, result.epochs());
    }

    private static CaptionModel withManifest(Vocabulary vocabulary, CaptionDecoder decoder, ModelManifest.EncoderProbe probe,
                                             Options options, Map<String, Object> hyper, Map<String, Object> metrics) {
        ModelManifest manifest = new ModelManifest(options.modelId(), Instant.now(),
                "Demo: coloured shapes on plain backgrounds (synthetic COCO-format data), behind a seeded random VGG16",
                ModelManifest.Encoder.vgg16Fc7(options.encoderWeights(), probe,
                        ModelManifest.WeightsSource.seededRandom(EncoderWeights.parse(options.encoderWeights()).seed())),
                ModelManifest.Decoder.of(decoder, options.maxLength()),
                hyper, metrics, Map.of());
        return new CaptionModel(manifest, vocabulary, decoder);
    }

    private float[][] extract(FeatureExtractor extractor, FeatureEncoder encoder, CaptionCorpus corpus, String name) {
        int total = corpus.imageFiles().size();
        FeatureExtractor.Result result = extractor.extract(corpus.imageFiles(), encoder, FEATURE_BATCH, done -> {
            if (done % 160 == 0 || done == total) {
                progress.accept(String.format("fc7 features (%s): %d/%d", name, done, total));
            }
        });
        if (result.skipped() > 0) {
            progress.accept(result.skipped() + " unreadable " + name + " images skipped");
        }
        return result.features();
    }

    private static List<ShapeColour> colours(GeneratedDataset dataset, CaptionCorpus corpus) {
        Map<Long, ShapeColour> byId = new LinkedHashMap<>();
        dataset.images().forEach(image -> byId.put((long) image.imageId(), image.scene().colour()));
        List<ShapeColour> colours = new ArrayList<>();
        corpus.imageIds().forEach(id -> colours.add(byId.get(id)));
        return colours;
    }

    private static float[][] concat(float[][] a, float[][] b) {
        float[][] all = new float[a.length + b.length][];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
