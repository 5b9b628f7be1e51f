package dev.captioner.evaluation;

import dev.captioner.language.PtbTokenizer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/** The tokenizer must reproduce the official PTBTokenizer pipeline's output for every fixture caption. */
class PtbTokenizerGoldenTest {

    private final PtbTokenizer tokenizer = new PtbTokenizer();

    @Test
    void tokenizesEveryFixtureImageExactly() {
        List<CocoGoldenFixture.Image> images = CocoGoldenFixture.images(CocoGoldenFixture.section(""));
        assertThat(images).hasSize(200);
        assertTokenizedExactly(images);
    }

    @Test
    void tokenizesEveryEdgeCaseExactly() {
        List<CocoGoldenFixture.Image> images = CocoGoldenFixture.images(CocoGoldenFixture.section("edge_cases"));
        assertThat(images).hasSize(33);
        assertTokenizedExactly(images);
    }

    private void assertTokenizedExactly(List<CocoGoldenFixture.Image> images) {
        SoftAssertions softly = new SoftAssertions();
        for (CocoGoldenFixture.Image image : images) {
            for (int r = 0; r < image.references().size(); r++) {
                String raw = image.references().get(r);
                softly.assertThat(tokenizer.tokenizeToString(raw)).as("%s reference %d: %s", image.id(), r, raw)
                        .isEqualTo(image.tokenizedReferences().get(r));
            }
            softly.assertThat(tokenizer.tokenizeToString(image.candidate()))
                    .as("%s candidate: %s", image.id(), image.candidate())
                    .isEqualTo(image.tokenizedCandidate());
        }
        softly.assertAll();
    }
}
