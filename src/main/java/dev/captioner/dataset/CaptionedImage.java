package dev.captioner.dataset;

import java.nio.file.Path;
import java.util.List;

/** One image of a captions dataset, whatever file listed it: where it is, its id, and its captions as written. */
public record CaptionedImage(Path file, long id, List<String> captions) {
}
