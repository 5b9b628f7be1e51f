package dev.captioner.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    @Test
    void leavesOutEntriesWhoseFileNameCannotBeAPathWithTheReason() throws Exception {
        Path file = Files.writeString(dir.resolve("captions.json"), """
                {"images": [{"id": 1, "file_name": "good.jpg"}, {"id": 2, "file_name": null}, {"id": 3},
                            {"id": 4, "file_name": "bad\\u0000.jpg"}, {"id": 5, "file_name": "%s.jpg"},
                            {"id": 6, "file_name": "/etc/passwd"}, {"id": 7, "file_name": ""}, null,
                            {"id": 8, "file_name": "sub/ok.jpg"}],
                 "annotations": [{"image_id": 1, "caption": "a"}, {"image_id": 2, "caption": "b"},
                                 {"image_id": 3, "caption": "c"}, {"image_id": 4, "caption": "d"},
                                 {"image_id": 5, "caption": "e"}, {"image_id": 6, "caption": "f"},
                                 {"image_id": 7, "caption": "g"}, null, {"image_id": 8, "caption": "h"}]}
                """.formatted("x".repeat(256)));
        List<RejectedEntry> rejected = new ArrayList<>();
        List<CaptionedImage> images = CocoCaptions.read(file).images(dir, rejected::add);
        assertThat(images).extracting(CaptionedImage::file).containsExactly(dir.resolve("good.jpg"),
                dir.resolve("sub/ok.jpg"));
        assertThat(rejected).extracting(RejectedEntry::reason).containsExactly("no file name", "no file name",
                "a NUL character in the file name", "a name longer than 255 bytes",
                "an absolute path, where names are relative to the images folder", "an empty file name");
        assertThat(rejected.get(2).shownName()).isEqualTo("bad\\u0000.jpg");
        assertThat(rejected.get(3).shownName()).hasSize(83).endsWith("...");
        assertThat(rejected.get(0).shownName()).isEqualTo("(no file name)");
    }
}
