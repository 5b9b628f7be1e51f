package dev.captioner.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoCaptionsTest {

    @TempDir
    Path dir;

    @Test
    void readsImagesAndTheirCaptionsInFileOrder() throws Exception {
        Path file = Files.writeString(dir.resolve("captions_val2014.json"), """
                {"info": {"year": 2014}, "licenses": [],
                 "images": [{"id": 42, "file_name": "COCO_val2014_000000000042.jpg", "width": 640, "height": 480},
                            {"id": 7, "file_name": "COCO_val2014_000000000007.jpg"},
                            {"id": 9, "file_name": "no-captions.jpg"}],
                 "annotations": [{"id": 1, "image_id": 7, "caption": "A dog on a couch."},
                                 {"id": 2, "image_id": 42, "caption": "Two cats."},
                                 {"id": 3, "image_id": 7, "caption": "a brown dog"}]}
                """);
        List<CaptionedImage> images = CocoCaptions.read(file).images(dir.resolve("val2014"));
        assertThat(images).extracting(CaptionedImage::id).as("images without captions are left out").containsExactly(42L, 7L);
        assertThat(images.get(1).file()).isEqualTo(dir.resolve("val2014").resolve("COCO_val2014_000000000007.jpg"));
        assertThat(images.get(1).captions()).containsExactly("A dog on a couch.", "a brown dog");
    }

    @Test
    void explainsFilesThatAreNotCocoCaptions() throws Exception {
        Path notJson = Files.writeString(dir.resolve("a.json"), "not json");
        assertThatThrownBy(() -> CocoCaptions.read(notJson)).hasMessageContaining("is not a COCO captions file");
        Path wrongShape = Files.writeString(dir.resolve("b.json"), "{\"images\": []}");
        assertThatThrownBy(() -> CocoCaptions.read(wrongShape)).hasMessageContaining("needs 'images' and 'annotations'");
    }
}
