package dev.captioner.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.captioner.training.synthetic.GeneratedDataset;
import dev.captioner.training.synthetic.ShapesDatasetGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code generate-shapes}: a synthetic COCO-format dataset of the demo model's kind of picture. */
@Command(name = "generate-shapes", mixinStandardHelpOptions = true, versionProvider = CaptionerVersion.class,
        sortOptions = false, description = "Writes a synthetic COCO-format dataset (images/, captions.json, "
        + "scenes.json): one coloured shape per picture, e.g. to have pictures to send to the demo model. Prints "
        + "each image's path and first reference caption.")
final class GenerateShapesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatasetGenerationOptions options;

    @Override
    public Integer call() throws Exception {
        Checks.positive(spec, "--count", options.count);
        PrintWriter out = spec.commandLine().getOut();
        GeneratedDataset dataset = new ShapesDatasetGenerator(options.seed).generate(options.output,
                options.count, 1);
        for (GeneratedDataset.Image image : dataset.images()) {
            out.println(dataset.imagesDir().resolve(image.fileName()) + "\t" + image.captions().get(0));
        }
        return 0;
    }
}
