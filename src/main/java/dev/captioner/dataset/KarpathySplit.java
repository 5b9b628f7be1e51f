package dev.captioner.dataset;

import dev.captioner.config.JsonFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Karpathy's split file ({@code dataset_coco.json}): {@code images[]} with {@code filepath} (e.g.
 * {@code val2014}), {@code filename}, {@code split} ({@code train}, {@code restval}, {@code val},
 * {@code test}) and {@code sentences[].raw}. It is the split every captioning paper reports on.
 */
public record KarpathySplit(List<Image> images) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Image(String filepath, String filename, String split, Long cocoid, Long imgid,
                        List<Sentence> sentences) {

        /** COCO's image id where present, else the file's own running id. */
        public long id() {
            return cocoid != null ? cocoid : imgid != null ? imgid : -1;
        }

        /** Path of the image relative to the images root: {@code filepath/filename}. */
        public String relativePath() {
            return filepath == null || filepath.isEmpty() ? filename : filepath + "/" + filename;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Sentence(String raw) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record FileContent(List<Image> images) {
    }

    public static KarpathySplit read(Path file) throws IOException {
        FileContent content = JsonFiles.read(file, FileContent.class, "a Karpathy split file");
        if (content == null || content.images() == null) {
            throw new IOException(file + " is not a Karpathy split file: it needs 'images'");
        }
        // split and sentences make a record Karpathy's; a bad file name is one image left out when listed
        for (Image image : content.images()) {
            if (image == null || image.split() == null || image.sentences() == null) {
                throw new IOException(file + " is not a Karpathy split file: every image needs 'split' and "
                        + "'sentences'");
            }
        }
        return new KarpathySplit(content.images());
    }

    /** As {@link #images(Path, List, Consumer)}, for files known to be sound. */
    public List<CaptionedImage> images(Path imagesRoot, List<String> splits) {
        return images(imagesRoot, splits, rejected -> { });
    }

    /**
     * Images of the given splits, in the file's order, their paths resolved against {@code imagesRoot}; one
     * without a usable {@code filepath/filename} goes to {@code rejected} instead.
     */
    public List<CaptionedImage> images(Path imagesRoot, List<String> splits, Consumer<RejectedEntry> rejected) {
        List<CaptionedImage> result = new ArrayList<>();
        for (Image image : images) {
            if (!splits.contains(image.split())) {
                continue;
            }
            List<String> captions = image.sentences().stream()
                    .filter(s -> s != null && s.raw() != null).map(Sentence::raw).toList();
            String name = image.filename() == null ? null : image.relativePath();
            ImageFileNames.resolve(imagesRoot, name, rejected)
                    .ifPresent(file -> result.add(new CaptionedImage(file, image.id(), captions)));
        }
        return result;
    }

    public long count(String split) {
        return images.stream().filter(i -> split.equals(i.split())).count();
    }
}
