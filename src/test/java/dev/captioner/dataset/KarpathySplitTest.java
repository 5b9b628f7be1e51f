package dev.captioner.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class KarpathySplitTest {

    @TempDir
    Path dir;

    public static final String FILE = """
            {"dataset":"coco","images":[
             {"filepath":"val2014","filename":"COCO_val2014_1.jpg","split":"val","cocoid":1,"imgid":0,
              "sentences":[{"raw":"A man riding a horse.","tokens":["a","man"]},{"raw":"A person on a horse!"}]},
             {"filepath":"train2014","filename":"COCO_train2014_2.jpg","split":"train","cocoid":2,"imgid":1,
              "sentences":[{"raw":"Two dogs, playing."}]},
             {"filepath":"val2014","filename":"COCO_val2014_3.jpg","split":"restval","cocoid":3,"imgid":2,
              "sentences":[{"raw":"A red bus"}]},
             {"filepath":"val2014","filename":"COCO_val2014_4.jpg","split":"test","cocoid":4,"imgid":3,
              "sentences":[{"raw":"A cat"}]}]}
            """;

    @Test
    void readsSplitsInFileOrder() throws Exception {
        Path file = dir.resolve("dataset_coco.json");
        Files.writeString(file, FILE);
        KarpathySplit split = KarpathySplit.read(file);
        assertThat(split.count("test")).isEqualTo(1);
        List<CaptionedImage> train = split.images(dir, List.of("train", "restval"));
        assertThat(train).extracting(CaptionedImage::id).containsExactly(2L, 3L);
        assertThat(train).extracting(CaptionedImage::file).containsExactly(dir.resolve("train2014/COCO_train2014_2.jpg"),
                dir.resolve("val2014/COCO_val2014_3.jpg"));
        assertThat(train.get(0).captions()).containsExactly("Two dogs, playing.");
        assertThat(split.images(dir, List.of("val")).get(0).captions()).containsExactly("A man riding a horse.",
                "A person on a horse!");
    }

    @Test
    void rejectsFilesThatAreNotKarpathySplits() throws IOException {
        Path coco = dir.resolve("captions.json");
        Files.writeString(coco, "{\"images\":[{\"id\":1,\"file_name\":\"a.jpg\"}],\"annotations\":[]}");
        assertThatThrownBy(() -> KarpathySplit.read(coco)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a Karpathy split file");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"images\": [");
        assertThatThrownBy(() -> KarpathySplit.read(broken)).isInstanceOf(IOException.class);
    }

    @Test
    void anImageWithoutAFileNameIsLeftOutNotTheWholeFile() throws Exception {
        Path file = Files.writeString(dir.resolve("split.json"), """
                {"images":[{"filepath":"train2014","split":"train","cocoid":1,"sentences":[{"raw":"a"}]},
                           {"filepath":"train2014","filename":"2.jpg","split":"train","cocoid":2,
                            "sentences":[{"raw":"b"}, null, {"raw":null}]}]}
                """);
        List<RejectedEntry> rejected = new ArrayList<>();
        List<CaptionedImage> images = KarpathySplit.read(file).images(dir, List.of("train"), rejected::add);
        assertThat(images).extracting(CaptionedImage::id).containsExactly(2L);
        assertThat(images.get(0).captions()).containsExactly("b");
        assertThat(rejected).extracting(RejectedEntry::reason).containsExactly("no file name");
    }
}
