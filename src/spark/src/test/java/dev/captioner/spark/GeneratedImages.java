package dev.captioner.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.captioner.training.synthetic.GeneratedDataset;
import dev.captioner.training.synthetic.ShapesDatasetGenerator;

/** A folder of generated COCO-format images, and a file that only looks like one. */
record GeneratedImages(GeneratedDataset dataset, Path broken) {

    static GeneratedImages in(Path dir, int count) throws IOException {
        GeneratedDataset dataset = new ShapesDatasetGenerator(11).generate(dir, count, 1);
        Path broken = dataset.imagesDir().resolve("broken_000000999.png");
        Files.writeString(broken, "not a PNG at all");
        return new GeneratedImages(dataset, broken);
    }

    /** The images as the caption command lists them: sorted, the broken one among them. */
    List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dataset.imagesDir())) {
            return files.sorted().toList();
        }
    }
}
