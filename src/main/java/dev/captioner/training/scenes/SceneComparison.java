package dev.captioner.training.scenes;

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
import dev.captioner.language.CaptionDecoder;
import dev.captioner.language.CaptionOptions;
import dev.captioner.language.Captioner;
import dev.captioner.language.GridShape;
import dev.captioner.language.Vocabulary;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStore;
import dev.captioner.training.CaptionCorpus;
import dev.captioner.training.CaptionExample;
import dev.captioner.training.DecoderTrainer;
import dev.captioner.training.FeatureExtractor;
import dev.captioner.training.FeatureMatrices;
import dev.captioner.training.Float16;
import dev.captioner.training.TrainedModelRecord;
import dev.captioner.training.TrainingConfig;
import dev.captioner.training.synthetic.GeneratedScenes;
import dev.captioner.training.synthetic.ScenesDatasetGenerator;
import dev.captioner.vision.EncoderLayer;
import dev.captioner.vision.EncoderProbe;
import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.Vgg16Fc7Encoder;

/**
 * The proof that attention helps on scenes with several objects: generates training, validation and held-out
 * scenes, extracts fc7 vectors and conv5_3 grids from one VGG16, trains three decoders with the same budget (a
 * text-only LSTM that sees no image, the fc7 LSTM, the attention LSTM; optionally the attention LSTM again on
 * grids rounded to float16, the compact cache form), captions the held-out scenes with a beam of 3 and scores
 * them ({@link SceneScorer}). The attention and fc7 models can be stored as demo models.
 */
public final class SceneComparison {

    public static final String ATTENTION_DEMO_ID = "demo-scenes-attention-v1";
    public static final String FC7_DEMO_ID = "demo-scenes-fc7-v1";
    private static final int FEATURE_BATCH = 8;

    /**
     * @param storeModels  where to store the attention and fc7 models ({@link #ATTENTION_DEMO_ID}, {@link #FC7_DEMO_ID});
     *                     null stores nothing
     * @param float16Row   also train the attention decoder on float16-rounded grids
     */
    public record Options(Path dataDir, int trainImages, int validationImages, int heldOutImages, long seed,
                          TrainingConfig training, int attentionSize, double attentionRegularization, int maxLength,
                          Path storeModels, boolean activate, boolean float16Row) {
    }

    /** The table's rows, best-epoch histories and what extraction cost. */
    public record Report(List<SceneScores> rows, Map<String, List<DecoderTrainer.EpochResult>> epochs,
                         double fc7SecondsPerImage, double gridSecondsPerImage) {
    }

    private final Consumer<String> progress;

    public SceneComparison(Consumer<String> progress) {
        this.progress = progress;
    }

    public Report run(Options options, Vgg16Fc7Encoder encoder) throws IOException {
        Path root = options.dataDir().resolve("scenes-" + options.seed());
        progress.accept("generating " + options.trainImages() + " training, " + options.validationImages()
                + " validation and " + options.heldOutImages() + " held-out scenes in " + root);
        GeneratedScenes train = new ScenesDatasetGenerator(options.seed())
                .generate(root.resolve("train"), options.trainImages(), 1);
        GeneratedScenes validation = new ScenesDatasetGenerator(options.seed() + 1)
                .generate(root.resolve("val"), options.validationImages(), 1_000_001);
        GeneratedScenes heldOut = new ScenesDatasetGenerator(options.seed() + 2)
                .generate(root.resolve("test"), options.heldOutImages(), 2_000_001);
        CaptionCorpus trainCorpus = corpus(train);
        CaptionCorpus validationCorpus = corpus(validation);
        CaptionCorpus heldOutCorpus = corpus(heldOut);

        FeatureEncoder grid = encoder.atLayer(EncoderLayer.CONV5_3).orElseThrow();
        Extracted fc7 = features(root, encoder, EncoderLayer.FC7, trainCorpus, validationCorpus, heldOutCorpus);
        Extracted grids = features(root, grid, EncoderLayer.CONV5_3, trainCorpus, validationCorpus, heldOutCorpus);
        GridShape shape = EncoderLayer.CONV5_3.grid().orElseThrow();

        Vocabulary vocabulary = Vocabulary.build(trainCorpus.allCaptions(), 1);
        progress.accept("vocabulary: " + vocabulary.size() + " tokens");
        int trainRows = trainCorpus.size();
        List<CaptionExample> trainExamples = trainCorpus.examples(vocabulary, options.maxLength(), fc7.train, 0);
        List<CaptionExample> validationExamples = validationCorpus.examples(vocabulary, options.maxLength(),
                fc7.validation, trainRows);

        TrainingConfig lstm = options.training();
        TrainingConfig attention = lstm.withAttention(
                new TrainingConfig.Attention(options.attentionSize(), options.attentionRegularization()));
        Map<String, List<DecoderTrainer.EpochResult>> epochs = new LinkedHashMap<>();
        List<SceneScores> rows = new ArrayList<>();
        SceneScorer scorer = new SceneScorer();
        List<GeneratedScenes.Image> heldOutImages = inCorpusOrder(heldOut, heldOutCorpus);

        float[][] blind = new float[fc7.trainAndValidation().length][fc7.train[0].length];
        DecoderTrainer.Result textOnly = train("text-only LSTM", new DecoderTrainer(lstm), blind, trainExamples,
                validationExamples, vocabulary, epochs);
        rows.add(score(scorer, "text-only LSTM (no image)", textOnly.best(), vocabulary, heldOutImages,
                new float[fc7.heldOut.length][fc7.train[0].length], options.maxLength()));

        DecoderTrainer.Result fc7Result = train("fc7 LSTM", new DecoderTrainer(lstm), fc7.trainAndValidation(),
                trainExamples, validationExamples, vocabulary, epochs);
        rows.add(score(scorer, "fc7 LSTM", fc7Result.best(), vocabulary, heldOutImages, fc7.heldOut, options.maxLength()));

        DecoderTrainer.Result attentionResult = train("attention LSTM",
                new DecoderTrainer(attention, d -> Map.of(), shape), grids.trainAndValidation(), trainExamples,
                validationExamples, vocabulary, epochs);
        rows.add(score(scorer, "attention LSTM (conv5_3 14x14)", attentionResult.best(), vocabulary, heldOutImages,
                grids.heldOut, options.maxLength()));

        if (options.float16Row()) {
            DecoderTrainer.Result half = train("attention LSTM, float16 grids",
                    new DecoderTrainer(attention, d -> Map.of(), shape), Float16.roundAll(grids.trainAndValidation()),
                    trainExamples, validationExamples, vocabulary, epochs);
            rows.add(score(scorer, "attention LSTM, grids cached as float16", half.best(), vocabulary, heldOutImages,
                    Float16.roundAll(grids.heldOut), options.maxLength()));
        }

        if (options.storeModels() != null) {
            ModelStore store = new ModelStore(options.storeModels());
            store.replace(model(ATTENTION_DEMO_ID, attentionResult, vocabulary, grid, EncoderLayer.CONV5_3, options,
                    rows.get(2), attention));
            store.replace(model(FC7_DEMO_ID, fc7Result, vocabulary, encoder, EncoderLayer.FC7, options, rows.get(1), lstm));
            if (options.activate()) {
                store.setActive(ATTENTION_DEMO_ID);
            }
            progress.accept("stored " + ATTENTION_DEMO_ID + " and " + FC7_DEMO_ID + " in " + store.root());
        }
        return new Report(rows, epochs, fc7.secondsPerImage, grids.secondsPerImage);
    }

    private DecoderTrainer.Result train(String name, DecoderTrainer trainer, float[][] features,
                                        List<CaptionExample> trainExamples, List<CaptionExample> validationExamples,
                                        Vocabulary vocabulary, Map<String, List<DecoderTrainer.EpochResult>> epochs) {
        progress.accept("training the " + name + " on " + trainExamples.size() + " captions");
        DecoderTrainer.Result result = trainer.train(features, trainExamples, validationExamples, vocabulary.size(),
                (epoch, decoder) -> progress.accept(String.format("%s epoch %d: train loss %.3f, validation loss %.3f, "
                        + "%.0f tokens/s", name, epoch.epoch(), epoch.trainLoss(), epoch.validationLoss(),
                        epoch.tokensPerSecond())), () -> false);
        epochs.put(name, result.epochs());
        return result;
    }

    private SceneScores score(SceneScorer scorer, String name, CaptionDecoder decoder, Vocabulary vocabulary,
                              List<GeneratedScenes.Image> images, float[][] features, int maxLength) {
        Captioner captioner = new Captioner(decoder, vocabulary);
        Map<Integer, List<String>> captions = new LinkedHashMap<>();
        Map<Integer, List<float[]>> maps = new LinkedHashMap<>();
        for (int i = 0; i < images.size(); i++) {
            Captioner.Caption caption = captioner.captions(features[i], CaptionOptions.best(maxLength)).get(0);
            captions.put(images.get(i).imageId(), caption.tokens());
            if (caption.attention() != null) {
                maps.put(images.get(i).imageId(), caption.attention());
            }
        }
        SceneScores scores = decoder.grid() != null ? scorer.score(name, images, captions, maps)
                : scorer.score(name, images, captions);
        progress.accept(scores.markdownRow());
        return scores;
    }

    private CaptionModel model(String id, DecoderTrainer.Result result, Vocabulary vocabulary, FeatureEncoder encoder,
                               EncoderLayer layer, Options options, SceneScores scores, TrainingConfig config) {
        String weights = encoder.id().substring(encoder.id().indexOf('/') + 1);
        ModelManifest.EncoderProbe probe = EncoderProbe.measure(encoder);
        ModelManifest.Encoder record = layer == EncoderLayer.FC7
                ? ModelManifest.Encoder.vgg16Fc7(weights, probe, encoder.source())
                : ModelManifest.Encoder.vgg16Conv5(weights, probe, encoder.source());
        DecoderTrainer.EpochResult best = result.epochs().get(result.bestEpoch() - 1);
        Map<String, Object> metrics = TrainedModelRecord.metrics(options.trainImages(), options.validationImages(),
                result.bestEpoch(), best, Map.of());
        metrics.put("heldOutScenes", scores.toJson());
        Map<String, Object> hyper = TrainedModelRecord.hyperParameters(config, 1, options.maxLength(),
                "synthetic scenes, seed " + options.seed());
        ModelManifest manifest = new ModelManifest(id, Instant.now(),
                "Demo: 1 to 4 coloured shapes per scene on varied backgrounds (synthetic COCO-format data), "
                        + (layer == EncoderLayer.FC7 ? "fc7 LSTM" : "soft attention over conv5_3's 14x14 grid")
                        + " behind a seeded random VGG16", record,
                ModelManifest.Decoder.of(result.best(), options.maxLength()), hyper, metrics, Map.of());
        return new CaptionModel(manifest, vocabulary, result.best());
    }

    private static CaptionCorpus corpus(GeneratedScenes scenes) throws IOException {
        return CaptionCorpus.of(CocoCaptions.read(scenes.annotationsFile()).images(scenes.imagesDir()));
    }

    /** The scenes' records in the order the corpus (and so the feature rows) lists the images. */
    private static List<GeneratedScenes.Image> inCorpusOrder(GeneratedScenes scenes, CaptionCorpus corpus) {
        Map<Long, GeneratedScenes.Image> byId = new LinkedHashMap<>();
        scenes.images().forEach(image -> byId.put((long) image.imageId(), image));
        return corpus.imageIds().stream().map(byId::get).toList();
    }

    /** One layer's features of the three sets, in corpus order. */
    private record Extracted(float[][] train, float[][] validation, float[][] heldOut, double secondsPerImage) {
        float[][] trainAndValidation() {
            float[][] all = new float[train.length + validation.length][];
            System.arraycopy(train, 0, all, 0, train.length);
            System.arraycopy(validation, 0, all, train.length, validation.length);
            return all;
        }
    }

    /** Extracts, or reads back what an earlier run extracted (written aside, then renamed into place). */
    private Extracted features(Path root, FeatureEncoder encoder, EncoderLayer layer, CaptionCorpus train,
                               CaptionCorpus validation, CaptionCorpus heldOut) throws IOException {
        Path cache = root.resolve("features-" + encoder.id().replaceAll("[^a-z0-9]+", "-") + "-" + train.size() + "-"
                + validation.size() + "-" + heldOut.size() + ".bin");
        Optional<Map<String, float[][]>> cached = FeatureMatrices.read(cache);
        if (cached.isPresent()) {
            progress.accept("reusing " + layer.manifestName() + " features from " + cache);
            return new Extracted(cached.get().get("train"), cached.get().get("validation"), cached.get().get("heldOut"),
                    Double.NaN);
        }
        FeatureExtractor extractor = new FeatureExtractor(new ImageDecoder(CaptionerProperties.defaults(root).maxPixels()));
        long start = System.nanoTime();
        float[][] a = extract(extractor, encoder, layer, train, "training");
        float[][] b = extract(extractor, encoder, layer, validation, "validation");
        float[][] c = extract(extractor, encoder, layer, heldOut, "held-out");
        double secondsPerImage = (System.nanoTime() - start) / 1e9 / (a.length + b.length + c.length);
        progress.accept(String.format("%s: %.3f s per image", layer.manifestName(), secondsPerImage));
        FeatureMatrices.write(cache, Map.of("train", a, "validation", b, "heldOut", c));
        return new Extracted(a, b, c, secondsPerImage);
    }

    private float[][] extract(FeatureExtractor extractor, FeatureEncoder encoder, EncoderLayer layer,
                              CaptionCorpus corpus, String name) {
        int total = corpus.imageFiles().size();
        FeatureExtractor.Result result = extractor.extract(corpus.imageFiles(), encoder, FEATURE_BATCH, done -> {
            if (done % 200 == 0 || done == total) {
                progress.accept(String.format("%s features (%s): %d/%d", layer.manifestName(), name, done, total));
            }
        });
        if (result.skipped() > 0) {
            throw new IllegalStateException(result.skipped() + " generated " + name + " scenes could not be read");
        }
        return result.features();
    }
}
