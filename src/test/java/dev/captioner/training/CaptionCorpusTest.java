package dev.captioner.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.captioner.dataset.CaptionedImage;
import dev.captioner.language.Vocabulary;
import org.junit.jupiter.api.Test;

class CaptionCorpusTest {

    private final Path dir = Path.of("images");

    @Test
    void tokenisesCaptionsAsTheEvaluationDoesAndSkipsImagesWithoutFeatures() {
        CaptionCorpus corpus = CaptionCorpus.of(List.of(
                new CaptionedImage(dir.resolve("42.jpg"), 42, List.of("Two cats.")),
                new CaptionedImage(dir.resolve("7.jpg"), 7, List.of("A dog on a couch.", "a brown dog")),
                new CaptionedImage(dir.resolve("9.jpg"), 9, List.of())));
        assertThat(corpus.imageIds()).as("images without captions are left out").containsExactly(42L, 7L);
        assertThat(corpus.captions().get(1)).containsExactly(List.of("a", "dog", "on", "a", "couch"), List.of("a", "brown", "dog"));
        assertThat(corpus.references().get(1)).containsExactly("a dog on a couch", "a brown dog");

        Vocabulary vocabulary = Vocabulary.build(corpus.allCaptions(), 1);
        float[][] features = {{1f}, null};
        List<CaptionExample> examples = corpus.examples(vocabulary, 16, features, 10);
        assertThat(examples).as("images without features (unreadable) are skipped").hasSize(1);
        assertThat(examples.get(0).imageIndex()).isEqualTo(10);
    }

    @Test
    void holdOutIsSeededAndDisjoint() {
        List<CaptionedImage> images = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            images.add(new CaptionedImage(dir.resolve(i + ".png"), i, List.of("caption " + i)));
        }
        CaptionCorpus corpus = CaptionCorpus.of(images);
        CaptionCorpus[] a = corpus.holdOut(0.05, 5000, 7);
        CaptionCorpus[] b = corpus.holdOut(0.05, 5000, 7);
        assertThat(a[1].imageIds()).hasSize(5).isEqualTo(b[1].imageIds());
        assertThat(a[0].imageIds()).hasSize(95).doesNotContainAnyElementsOf(a[1].imageIds());
        assertThat(corpus.holdOut(0.5, 3, 7)[1].size()).isEqualTo(3);
        assertThat(corpus.holdOut(0.05, 5000, 8)[1].imageIds()).isNotEqualTo(a[1].imageIds());
    }
}
