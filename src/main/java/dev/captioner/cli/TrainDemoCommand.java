package dev.captioner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.captioner.training.synthetic.DemoModelBuilder;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.Vgg16Fc7Encoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code train-demo}: regenerates the synthetic shapes dataset and retrains the embedded demo model. */
@Command(name = "train-demo", mixinStandardHelpOptions = true, versionProvider = CaptionerVersion.class,
        sortOptions = false, description = {"Regenerates the synthetic shapes dataset (coloured shapes on plain "
                + "backgrounds, COCO format) and retrains the demo model behind VGG16 " + DemoModelBuilder.ENCODER_WEIGHTS
                + ", then measures how often it names the colour against a text-only decoder.",
                "About 10 minutes on 2 cores, most of it fc7 extraction (cached under the data dir for re-runs)."})
final class TrainDemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--models", paramLabel = "DIR", defaultValue = "models", description = "model store (default: ${DEFAULT-VALUE})")
    Path models;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "data", description = "where the dataset and feature cache go (default: ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--id", defaultValue = DemoModelBuilder.DEMO_ID, description = "model id (default: ${DEFAULT-VALUE})")
    String id;

    @Option(names = "--train", paramLabel = "N", defaultValue = "1000", description = "training images (default: ${DEFAULT-VALUE})")
    int trainImages;

    @Option(names = "--validation", paramLabel = "N", defaultValue = "200", description = "validation images (default: ${DEFAULT-VALUE})")
    int validationImages;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "30", description = "training epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--no-activate", description = "store the model without making it the active one")
    boolean noActivate;

    @Override
    public Integer call() throws Exception {
        Checks.positive(spec, "--train", trainImages);
        Checks.positive(spec, "--validation", validationImages);
        Checks.positive(spec, "--epochs", epochs);
        PrintWriter out = spec.commandLine().getOut();
        DemoModelBuilder.Options options = new DemoModelBuilder.Options(models, data, id, trainImages, validationImages,
                DemoModelBuilder.DATASET_SEED, DemoModelBuilder.ENCODER_WEIGHTS, DemoModelBuilder.defaultTraining(epochs),
                5, 16, !noActivate);
        Vgg16Fc7Encoder encoder = Vgg16Fc7Encoder.random(EncoderWeights.parse(DemoModelBuilder.ENCODER_WEIGHTS).seed());
        DemoModelBuilder.Report report = new DemoModelBuilder(line -> {
            out.println(line);
            out.flush();
        }).build(options, encoder);
        out.printf("demo model %s: colour named on %.1f%% of held-out images (text-only %.1f%%); fc7 %.3f s/image%n",
                report.model().id(), 100 * report.colourAccuracy(), 100 * report.textOnlyColourAccuracy(),
                report.featureSecondsPerImage());
        return 0;
    }
}
