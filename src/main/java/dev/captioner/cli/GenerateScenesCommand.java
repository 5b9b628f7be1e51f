package dev.captioner.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.captioner.training.synthetic.GeneratedScenes;
import dev.captioner.training.synthetic.ScenesDatasetGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code generate-scenes}: a synthetic COCO-format dataset of pictures with several shapes each. */
@Command(name = "generate-scenes", mixinStandardHelpOptions = true, versionProvider = CaptionerVersion.class,
        sortOptions = false, description = "Writes a synthetic COCO-format dataset (images/, captions.json, "
        + "scenes.json): one to four coloured shapes per picture, apart from each other, with captions that name "
        + "colours, shapes, sizes, counts and where the shapes are relative to each other. Prints each image's "
        + "path and first reference caption.")
final class GenerateScenesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DatasetGenerationOptions options;

    @Override
    public Integer call() throws Exception {
        Checks.positive(spec, "--count", options.count);
        PrintWriter out = spec.commandLine().getOut();
        GeneratedScenes dataset = new ScenesDatasetGenerator(options.seed).generate(options.output,
                options.count, 1);
        for (GeneratedScenes.Image image : dataset.images()) {
            out.println(dataset.imagesDir().resolve(image.fileName()) + "\t" + image.captions().get(0));
        }
        return 0;
    }
}
