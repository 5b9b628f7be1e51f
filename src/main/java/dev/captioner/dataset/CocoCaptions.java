package dev.captioner.dataset;

import dev.captioner.config.JsonFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An MS COCO captions file ({@code captions_train2014.json} style): {@code images[]} with {@code id} and
 * {@code file_name}, {@code annotations[]} with {@code image_id} and {@code caption}.
 */
public record CocoCaptions(List<Image> images, List<Annotation> annotations) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Image(long id, @JsonProperty("file_name") String fileName, Integer width, Integer height) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Annotation(Long id, @JsonProperty("image_id") long imageId, String caption) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record FileContent(List<Image> images, List<Annotation> annotations) {
    }

    private static final String WHAT = "a COCO captions file";

    public static CocoCaptions read(Path file) throws IOException {
        return of(JsonFiles.read(file, FileContent.class, WHAT), file.toString());
    }

    /** As {@link #read(Path)}, for a file on another file system, {@code name} in the messages. */
    public static CocoCaptions read(InputStream in, String name) throws IOException {
        return of(JsonFiles.read(in, name, FileContent.class, WHAT), name);
    }

    private static CocoCaptions of(FileContent content, String name) throws IOException {
        if (content == null || content.images() == null || content.annotations() == null) {
            throw new IOException(name + " is not a COCO captions file: it needs 'images' and 'annotations'");
        }
        return new CocoCaptions(content.images(), content.annotations());
    }

    /** As {@link #images(Path, Consumer)}, for files known to be sound (generated ones). */
    public List<CaptionedImage> images(Path imagesDir) {
        return images(imagesDir, rejected -> { });
    }

    /**
     * Images with captions, in the file's order, their paths resolved against {@code imagesDir}; an image whose
     * {@code file_name} cannot be a path goes to {@code rejected} instead.
     */
    public List<CaptionedImage> images(Path imagesDir, Consumer<RejectedEntry> rejected) {
        List<CaptionedImage> result = new ArrayList<>();
        captionsByImage().forEach((image, captions) -> ImageFileNames.resolve(imagesDir, image.fileName(), rejected)
                .ifPresent(file -> result.add(new CaptionedImage(file, image.id(), captions))));
        return result;
    }

    /** Captions per image, in the file's image order; images without captions (and null entries) are left out. */
    public Map<Image, List<String>> captionsByImage() {
        Map<Long, List<String>> byId = new LinkedHashMap<>();
        for (Annotation a : annotations) {
            if (a != null && a.caption() != null) {
                byId.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a.caption());
            }
        }
        Map<Image, List<String>> result = new LinkedHashMap<>();
        for (Image image : images) {
            List<String> captions = image == null ? null : byId.get(image.id());
            if (captions != null) {
                result.put(image, captions);
            }
        }
        return result;
    }
}
