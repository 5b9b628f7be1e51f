package dev.captioner.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.captioner.config.CaptionerProperties;
import dev.captioner.dataset.CocoCaptions;
import dev.captioner.serving.ActiveModel;
import dev.captioner.serving.ModelRuntime;
import dev.captioner.store.CaptionModel;
import dev.captioner.store.ModelManifest;
import dev.captioner.store.ModelStore;
import dev.captioner.store.ModelStoreException;
import dev.captioner.training.CaptionCorpus;
import dev.captioner.training.ConfidenceCalibration;
import dev.captioner.training.FeatureExtractor;
import dev.captioner.training.ValidationCaptionMetrics;
import dev.captioner.vision.FeatureEncoder;
import dev.captioner.vision.ImageDecoder;
import dev.captioner.vision.Vgg16Fc7Encoder;
import dev.captioner.weights.WeightsSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code calibrate}: fits a stored model's caption confidence on a COCO-format dataset it was not trained on, as a
 * training job's evaluate step does on its validation images, and writes it into the model's manifest; the model's
 * parameters are not touched. For models made before there were confidences, such as the demo models.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true, versionProvider = CaptionerVersion.class,
        sortOptions = false, description = "Fits a stored model's caption confidence on a COCO-format dataset "
        + "(DIR/captions.json and DIR/images, as generate-scenes and generate-shapes write them): captions every "
        + "image (beam 3), scores it with CIDEr-D, fits the confidence on every other image, checks it on the rest, "
        + "and rewrites the model's manifest with it (its parameters stay as they are).")
final class CalibrateCommand implements Callable<Integer> {

    private static final int BATCH = 16;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "ID", required = true, description = "the stored model to calibrate")
    String modelId;

    @Option(names = "--dataset", paramLabel = "DIR", required = true,
            description = "a COCO-format dataset: DIR/captions.json and the images in DIR/images; not the images "
                    + "the model was trained on")
    Path dataset;

    @Mixin
    FolderOptions folders;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path annotations = dataset.resolve("captions.json");
        Path images = dataset.resolve("images");
        if (!Files.isRegularFile(annotations) || !Files.isDirectory(images)) {
            err.println("calibrate: " + dataset + " is not a COCO-format dataset folder (it needs captions.json and "
                    + "an images folder)");
            return 1;
        }
        CaptionerProperties properties = CaptionerSettings.load(folders.overrides());
        ModelStore store = new ModelStore(properties.modelsDir());
        ActiveModel verified;
        try {
            // the same checks an activation makes: the features it is calibrated on are the ones it was trained on
            verified = new ModelRuntime(store, (weights, layer) -> Vgg16Fc7Encoder.create(weights, layer,
                    WeightsSettings.imagenet(properties)), properties).verified(modelId);
        } catch (ModelStoreException e) {
            err.println("calibrate: " + e.getMessage());
            return 1;
        }
        CaptionModel model = verified.model();
        FeatureEncoder encoder = verified.encoder();

        CaptionCorpus corpus = CaptionCorpus.of(CocoCaptions.read(annotations).images(images));
        ProgressPrinter progress = ProgressPrinter.to(err);
        long start = System.nanoTime();
        FeatureExtractor.Result features = new FeatureExtractor(new ImageDecoder(properties.maxPixels()))
                .extract(corpus.imageFiles(), encoder, BATCH, done -> progress.update("encoding "
                        + ProgressPrinter.bar((double) done / corpus.size()) + " " + done + "/" + corpus.size()
                        + " images", (double) done / corpus.size()));
        progress.finish();
        long encoded = System.nanoTime();
        ValidationCaptionMetrics.Evaluation scores = new ValidationCaptionMetrics(model.vocabulary(),
                features.features(), corpus.references(), model.manifest().decoder().maxLength())
                .evaluate(model.decoder());
        long captioned = System.nanoTime();
        ConfidenceCalibration.Result result = ConfidenceCalibration.fit(model.decoder(), model.vocabulary(),
                features.features(), scores.perImage(), corpus.size() + " images of " + dataset.getFileName()
                        + ", alternately fitted on and held out", () -> false);
        if (result.calibration() == null) {
            err.println("calibrate: " + result.notFittedBecause());
            return 1;
        }
        store.recalibrate(modelId, result.calibration());

        ModelManifest.Calibration calibration = result.calibration();
        Map<String, Object> heldOut = calibration.heldOut();
        double captionSeconds = (captioned - encoded) / 1e9;
        out.printf("calibrated %s on %d images (%d unreadable skipped): confidence = P(%s >= %.3f), fitted on %d, "
                        + "held out %d%n", modelId, result.images(), features.skipped(), calibration.target(),
                calibration.threshold(), calibration.fitImages(), calibration.heldOutImages());
        out.printf("held out: Spearman with CIDEr-D %s (mean log-probability alone %s), Brier %.4f, %.1f%% reach "
                        + "the threshold%n", figure(heldOut.get("spearman")),
                figure(heldOut.get("meanLogProbabilitySpearman")), (Double) heldOut.get("brier"),
                100 * (Double) heldOut.get("observedRate"));
        out.printf("cost per caption: beam search %.1f ms, the confidence's decoder pass %.1f ms (encoding %.1f s "
                        + "in all)%n", 1000 * captionSeconds / result.images(),
                1000 * result.signalSeconds() / result.images(), (encoded - start) / 1e9);
        return 0;
    }

    private static String figure(Object value) {
        return value instanceof Double d ? String.format("%.3f", d) : "undefined";
    }
}
