package dev.captioner.training.synthetic;

import java.nio.file.Path;
import java.util.List;

/**
 * A scenes dataset on disk, laid out like COCO's {@code captions_train2014.json} + {@code train2014/}.
 *
 * @param annotationsFile {@code captions.json}; file names in it are relative to {@code imagesDir}
 * @param scenesFile      {@code scenes.json}: every image's objects (colour, kind, size, box)
 */
public record GeneratedScenes(Path dir, Path annotationsFile, Path imagesDir, Path scenesFile, List<Image> images) {

    public record Image(int imageId, String fileName, MultiObjectScene scene, List<String> captions) {
    }
}
