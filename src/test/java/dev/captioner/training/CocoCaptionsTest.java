package dev.captioner.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.captioner.language.Vocabulary;
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
        CocoCaptions coco = CocoCaptions.read(file);
        CaptionCorpus corpus = CaptionCorpus.of(coco, dir.resolve("val2014"));
        assertThat(corpus.imageIds()).containsExactly(42L, 7L);
        assertThat(corpus.imageFiles().get(1)).isEqualTo(dir.resolve("val2014").resolve("COCO_val2014_000000000007.jpg"));
        assertThat(corpus.captions().get(1)).containsExactly(List.of("a", "dog", "on", "a", "couch"), List.of("a", "brown", "dog"));

        Vocabulary vocabulary = Vocabulary.build(corpus.allCaptions(), 1);
        float[][] features = {{1f}, null};
        List<CaptionExample> examples = corpus.examples(vocabulary, 16, features, 10);
        assertThat(examples).as("images without features (unreadable) are skipped").hasSize(1);
        assertThat(examples.get(0).imageIndex()).isEqualTo(10);
    }

    @Test
    void explainsFilesThatAreNotCocoCaptions() throws Exception {
        Path notJson = Files.writeString(dir.resolve("a.json"), "not json");
        assertThatThrownBy(() -> CocoCaptions.read(notJson)).hasMessageContaining("is not a COCO captions file");
        Path wrongShape = Files.writeString(dir.resolve("b.json"), "{\"images\": []}");
        assertThatThrownBy(() -> CocoCaptions.read(wrongShape)).hasMessageContaining("needs 'images' and 'annotations'");
    }
}
