package dev.captioner.training.synthetic;

import java.nio.file.Path;
import java.util.List;

/**
 * A synthetic dataset on disk, laid out like COCO's {@code captions_train2014.json} + {@code train2014/}.
 *
 * @param annotationsFile {@code captions.json}; file names in it are relative to {@code imagesDir}
 * @param scenesFile      {@code scenes.json}: the ground truth (colour, kind, size, position) per image id
 */
public record GeneratedDataset(Path dir, Path annotationsFile, Path imagesDir, Path scenesFile, List<Image> images) {

    public record Image(int imageId, String fileName, SyntheticScene scene, List<String> captions) {
    }
}
