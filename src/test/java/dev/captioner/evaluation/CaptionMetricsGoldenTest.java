package dev.captioner.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Scores must equal the official toolkit's to 1e-9 relative, per image and per corpus. */
class CaptionMetricsGoldenTest {

    private final CaptionEvaluator evaluator = new CaptionEvaluator();

    @Test
    void metricsOnOfficialTokensMatchFixtureImages() {
        assertMetricsOnOfficialTokens(CocoGoldenFixture.section(""));
    }

    @Test
    void rawCaptionsMatchFixtureImagesEndToEnd() {
        assertEndToEnd(CocoGoldenFixture.section(""));
    }

    @Test
    void metricsOnOfficialTokensMatchEdgeCasesAsTheirOwnCorpus() {
        assertMetricsOnOfficialTokens(CocoGoldenFixture.section("edge_cases"));
    }

    @Test
    void rawCaptionsMatchEdgeCasesEndToEnd() {
        assertEndToEnd(CocoGoldenFixture.section("edge_cases"));
    }

    /** Corpus means are numpy's (pairwise summation): the toolkit's corpus values to the last bit. */
    @Test
    void corpusMeansEqualTheToolkitsBitForBit() {
        for (String name : List.of("", "edge_cases")) {
            JsonNode section = CocoGoldenFixture.section(name);
            List<CocoGoldenFixture.Image> images = CocoGoldenFixture.images(section);
            CaptionEvaluator.Evaluation evaluation = evaluator.evaluateTokenized(
                    CocoGoldenFixture.references(images, true), CocoGoldenFixture.candidates(images, true));
            for (String metric : List.of(CaptionEvaluator.ROUGE_L, CaptionEvaluator.CIDER)) {
                assertThat(evaluation.corpus().get(metric)).as(name + " " + metric)
                        .isEqualTo(section.get("corpus").get(metric).asDouble());
            }
        }
    }

    @Test
    void singleImageCorpusHasZeroCider() {
        JsonNode section = CocoGoldenFixture.section("single_image_corpus");
        CaptionEvaluator.Evaluation evaluation = assertEndToEnd(section);
        assertThat(evaluation.corpus().get(CaptionEvaluator.CIDER)).isZero();
    }

    @Test
    void perImageBleuCountsMatchExactly() {
        for (String name : List.of("", "edge_cases", "single_image_corpus")) {
            JsonNode section = CocoGoldenFixture.section(name);
            List<CocoGoldenFixture.Image> images = CocoGoldenFixture.images(section);
            Bleu.Result bleu = Bleu.compute(CocoGoldenFixture.references(images, true),
                    CocoGoldenFixture.candidates(images, true));
            SoftAssertions softly = new SoftAssertions();
            for (CocoGoldenFixture.Image image : images) {
                CocoGoldenFixture.assertCounts(softly, bleu.perImageCounts().get(image.id()),
                        section.get("per_image").get(image.id()).get("bleu_counts"), name + " " + image.id());
            }
            softly.assertAll();
        }
    }

    private void assertMetricsOnOfficialTokens(JsonNode section) {
        List<CocoGoldenFixture.Image> images = CocoGoldenFixture.images(section);
        CocoGoldenFixture.assertMatches(evaluator.evaluateTokenized(CocoGoldenFixture.references(images, true),
                CocoGoldenFixture.candidates(images, true)), section);
    }

    private CaptionEvaluator.Evaluation assertEndToEnd(JsonNode section) {
        List<CocoGoldenFixture.Image> images = CocoGoldenFixture.images(section);
        CaptionEvaluator.Evaluation evaluation = evaluator.evaluate(CocoGoldenFixture.references(images, false),
                CocoGoldenFixture.candidates(images, false));
        CocoGoldenFixture.assertMatches(evaluation, section);
        return evaluation;
    }
}
