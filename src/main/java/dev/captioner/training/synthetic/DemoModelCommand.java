package dev.captioner.training.synthetic;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.captioner.training.TrainingConfig;
import dev.captioner.vision.EncoderWeights;
import dev.captioner.vision.Vgg16Fc7Encoder;

/**
 * {@code train-demo}: regenerates the synthetic dataset and retrains the embedded demo model.
 * Options: {@code --models DIR} (./models), {@code --data DIR} (./data), {@code --id ID} (demo-shapes-v1),
 * {@code --train N} (1000), {@code --validation N} (200), {@code --epochs N}, {@code --no-activate}.
 */
public final class DemoModelCommand {

    public static final String DEFAULT_ID = "demo-shapes-v1";
    public static final long DATASET_SEED = 20261123L;
    public static final String ENCODER_WEIGHTS = "random:42";

    private DemoModelCommand() {
    }

    public static TrainingConfig defaultTraining(int epochs) {
        return new TrainingConfig(64, 64, epochs, 50, 2e-3, 0.95, 5.0, 0.3, 1e-4, 7);
    }

    public static int run(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--no-activate")) {
                flags.put(arg, "true");
            } else if (arg.startsWith("--") && i + 1 < args.length) {
                flags.put(arg, args[++i]);
            } else {
                System.err.println("train-demo: unexpected argument '" + arg + "'");
                return 2;
            }
        }
        try {
            DemoModelBuilder.Options options = new DemoModelBuilder.Options(
                    Path.of(flags.getOrDefault("--models", "models")),
                    Path.of(flags.getOrDefault("--data", "data")),
                    flags.getOrDefault("--id", DEFAULT_ID),
                    Integer.parseInt(flags.getOrDefault("--train", "1000")),
                    Integer.parseInt(flags.getOrDefault("--validation", "200")),
                    DATASET_SEED, ENCODER_WEIGHTS,
                    defaultTraining(Integer.parseInt(flags.getOrDefault("--epochs", "30"))),
                    5, 16, !flags.containsKey("--no-activate"));
            Vgg16Fc7Encoder encoder = Vgg16Fc7Encoder.random(EncoderWeights.parse(ENCODER_WEIGHTS).seed());
            DemoModelBuilder.Report report = new DemoModelBuilder(System.out::println).build(options, encoder);
            System.out.printf("demo model %s: colour named on %.1f%% of held-out images (text-only %.1f%%); "
                            + "fc7 %.3f s/image%n", report.model().id(), 100 * report.colourAccuracy(),
                    100 * report.textOnlyColourAccuracy(), report.featureSecondsPerImage());
            return 0;
        } catch (NumberFormatException e) {
            System.err.println("train-demo: numbers expected: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("train-demo failed: " + e.getMessage());
            return 1;
        }
    }
}
