package dev.captioner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.captioner.training.TrainingConfig;
import dev.captioner.training.scenes.SceneComparison;
import dev.captioner.training.scenes.SceneScores;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.Vgg16Fc7Encoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code compare-scenes}: the text-only, fc7 and attention decoders on generated scenes with several objects, same
 * training budget, scored on held-out scenes; with {@code --store} it also rebuilds the scene demo models.
 */
@Command(name = "compare-scenes", mixinStandardHelpOptions = true, versionProvider = CaptionerVersion.class,
        sortOptions = false, description = {"Generates scenes of 1 to 4 coloured shapes (COCO format, with boxes), "
                + "extracts VGG16 fc7 vectors and conv5_3 grids (seeded random weights), trains a text-only LSTM, the "
                + "fc7 LSTM and the attention LSTM with the same budget, and prints their scores on the held-out "
                + "scenes: BLEU-4, CIDEr-D, object F1, count accuracy and, for attention, pointing accuracy against "
                + "chance.",
                "About 40 minutes on 2 cores at the defaults, half of it feature extraction (cached under --data "
                        + "for re-runs). With --store it writes " + SceneComparison.ATTENTION_DEMO_ID + " and "
                        + SceneComparison.FC7_DEMO_ID + " into --models."})
final class CompareScenesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data", description = "where the scenes and feature caches go (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--train", paramLabel = "N", defaultValue = "1500", description = "training scenes (default: ${DEFAULT-VALUE})")
    int trainImages;

    @Option(names = "--validation", paramLabel = "N", defaultValue = "150", description = "validation scenes, for choosing the best epoch (default: ${DEFAULT-VALUE})")
    int validationImages;

    @Option(names = "--held-out", paramLabel = "N", defaultValue = "500", description = "held-out scenes scored (default: ${DEFAULT-VALUE})")
    int heldOutImages;

    @Option(names = "--seed", defaultValue = "15", description = "scene generator seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "15", description = "epochs for each decoder (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--hidden", paramLabel = "N", defaultValue = "256", description = "embedding, hidden and attention size (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--float16", description = "also train the attention decoder on grids rounded to float16 (the compact cache form)")
    boolean float16;

    @Option(names = "--store", description = "store the attention and fc7 models in --models")
    boolean store;

    @Option(names = "--models", paramLabel = "DIR", defaultValue = "models", description = "model store for --store (default: ${DEFAULT-VALUE})")
    Path models;

    @Option(names = "--activate", description = "with --store: make the attention model the active one")
    boolean activate;

    static final String ENCODER_WEIGHTS = "random:42";

    @Override
    public Integer call() throws Exception {
        Checks.positive(spec, "--train", trainImages);
        Checks.positive(spec, "--validation", validationImages);
        Checks.positive(spec, "--held-out", heldOutImages);
        Checks.positive(spec, "--epochs", epochs);
        Checks.positive(spec, "--hidden", size);
        PrintWriter out = spec.commandLine().getOut();
        TrainingConfig training = new TrainingConfig(size, size, epochs, 50, 2e-3, 0.95, 5.0, 0.3, 1e-4, 7);
        SceneComparison.Options options = new SceneComparison.Options(data, trainImages, validationImages,
                heldOutImages, seed, training, size, 0.005, 20, store ? models : null, activate, float16);
        Vgg16Fc7Encoder encoder = Vgg16Fc7Encoder.random(EncoderWeights.parse(ENCODER_WEIGHTS).seed());
        SceneComparison.Report report = new SceneComparison(line -> {
            out.println(line);
            out.flush();
        }).run(options, encoder);
        out.println();
        out.println(SceneScores.markdownHeader());
        report.rows().forEach(row -> out.println(row.markdownRow()));
        report.rows().forEach(row -> out.println(row.toJsonLine()));
        return 0;
    }
}
