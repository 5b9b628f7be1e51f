package dev.captioner.training.synthetic;

import java.nio.file.Path;

/**
 * {@code generate-shapes --output DIR [--count N] [--seed S]}: writes a synthetic COCO-format dataset
 * (images/, captions.json, scenes.json), e.g. to have pictures to send to the demo model.
 */
public final class GenerateShapesCommand {

    private GenerateShapesCommand() {
    }

    public static int run(String[] args) {
        Path output = null;
        int count = 10;
        long seed = 1;
        try {
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--output" -> output = Path.of(args[i + 1]);
                    case "--count" -> count = Integer.parseInt(args[i + 1]);
                    case "--seed" -> seed = Long.parseLong(args[i + 1]);
                    default -> {
                        System.err.println("generate-shapes: unknown option " + args[i]);
                        return 2;
                    }
                }
            }
            if (output == null || args.length % 2 != 0 || count < 1) {
                System.err.println("usage: generate-shapes --output DIR [--count N] [--seed S]");
                return 2;
            }
            GeneratedDataset dataset = new ShapesDatasetGenerator(seed).generate(output, count, 1);
            for (GeneratedDataset.Image image : dataset.images()) {
                System.out.println(dataset.imagesDir().resolve(image.fileName()) + "\t" + image.captions().get(0));
            }
            return 0;
        } catch (NumberFormatException e) {
            System.err.println("generate-shapes: numbers expected: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("generate-shapes failed: " + e.getMessage());
            return 1;
        }
    }
}
