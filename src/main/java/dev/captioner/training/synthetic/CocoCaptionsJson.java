package dev.captioner.training.synthetic;

import java.util.List;

import dev.captioner.config.JsonFiles;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** A generated dataset's captions in the MS COCO captions format, as both synthetic generators write them. */
final class CocoCaptionsJson {

    /** One image and its captions. */
    record Entry(int imageId, String fileName, int width, int height, List<String> captions) {
    }

    private CocoCaptionsJson() {
    }

    /**
     * @param captionsPerImage how many captions each image has: annotation ids are derived from the image id with
     *                         it, so datasets with disjoint image ids have disjoint annotation ids
     */
    static ObjectNode of(String description, String contributor, long seed, int captionsPerImage, List<Entry> images) {
        ObjectNode root = JsonFiles.MAPPER.createObjectNode();
        // No creation date: it would make two runs with the same seed differ.
        root.putObject("info")
                .put("description", description)
                .put("version", "1.0")
                .put("contributor", contributor)
                .put("seed", seed);
        ArrayNode imageArray = root.putArray("images");
        ArrayNode annotations = root.putArray("annotations");
        for (Entry image : images) {
            imageArray.addObject()
                    .put("id", image.imageId())
                    .put("file_name", image.fileName())
                    .put("width", image.width())
                    .put("height", image.height());
            long annotationId = (long) image.imageId() * captionsPerImage;
            for (String caption : image.captions()) {
                annotations.addObject()
                        .put("id", annotationId++)
                        .put("image_id", image.imageId())
                        .put("caption", caption);
            }
        }
        return root;
    }
}
