package dev.captioner.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void readsSplitsAsCorpora() throws Exception {
        Path file = dir.resolve("dataset_coco.json");
        Files.writeString(file, FILE);
        KarpathySplit split = KarpathySplit.read(file);
        assertThat(split.count("test")).isEqualTo(1);
        CaptionCorpus train = split.corpus(dir, List.of("train", "restval"));
        assertThat(train.imageIds()).containsExactly(2L, 3L);
        assertThat(train.imageFiles()).containsExactly(dir.resolve("train2014/COCO_train2014_2.jpg"),
                dir.resolve("val2014/COCO_val2014_3.jpg"));
        assertThat(train.captions().get(0)).containsExactly(List.of("two", "dogs", "playing"));
        CaptionCorpus val = split.corpus(dir, List.of("val"));
        assertThat(val.captions().get(0)).hasSize(2);
        assertThat(val.references().get(0)).containsExactly("a man riding a horse", "a person on a horse");
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
    void holdOutIsSeededAndDisjoint() throws Exception {
        CaptionCorpus.Builder builder = new CaptionCorpus.Builder();
        for (int i = 0; i < 100; i++) {
            builder.add(dir.resolve(i + ".png"), i, List.of("caption " + i));
        }
        CaptionCorpus corpus = builder.build();
        CaptionCorpus[] a = corpus.holdOut(0.05, 5000, 7);
        CaptionCorpus[] b = corpus.holdOut(0.05, 5000, 7);
        assertThat(a[1].imageIds()).hasSize(5).isEqualTo(b[1].imageIds());
        assertThat(a[0].imageIds()).hasSize(95).doesNotContainAnyElementsOf(a[1].imageIds());
        assertThat(corpus.holdOut(0.5, 3, 7)[1].size()).isEqualTo(3);
        assertThat(corpus.holdOut(0.05, 5000, 8)[1].imageIds()).isNotEqualTo(a[1].imageIds());
    }
}
