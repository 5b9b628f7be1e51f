package dev.captioner.dataset;

import dev.captioner.config.JsonFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    public static CocoCaptions read(Path file) throws IOException {
        FileContent content = JsonFiles.read(file, FileContent.class, "a COCO captions file");
        if (content == null || content.images() == null || content.annotations() == null) {
            throw new IOException(file + " is not a COCO captions file: it needs 'images' and 'annotations'");
        }
        return new CocoCaptions(content.images(), content.annotations());
    }

    /** Images with captions, in the file's order, their paths resolved against {@code imagesDir}. */
    public List<CaptionedImage> images(Path imagesDir) {
        return captionsByImage().entrySet().stream()
                .map(entry -> new CaptionedImage(imagesDir.resolve(entry.getKey().fileName()), entry.getKey().id(),
                        entry.getValue()))
                .toList();
    }

    /** Captions per image, in the file's image order; images without captions are left out. */
    public Map<Image, List<String>> captionsByImage() {
        Map<Long, List<String>> byId = new LinkedHashMap<>();
        for (Annotation a : annotations) {
            if (a.caption() != null) {
                byId.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a.caption());
            }
        }
        Map<Image, List<String>> result = new LinkedHashMap<>();
        for (Image image : images) {
            List<String> captions = byId.get(image.id());
            if (captions != null) {
                result.put(image, captions);
            }
        }
        return result;
    }
}
