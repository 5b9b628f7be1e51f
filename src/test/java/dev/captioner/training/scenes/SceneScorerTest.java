package dev.captioner.training.scenes;

import static dev.captioner.training.scenes.TestScenes.object;
import static dev.captioner.training.scenes.TestScenes.scene;
import static dev.captioner.training.scenes.TestScenes.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.captioner.training.synthetic.GeneratedScenes;
import dev.captioner.training.synthetic.ShapeColour;
import dev.captioner.training.synthetic.ShapeKind;
import dev.captioner.training.synthetic.ShapeSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The scorer sums the scores of every image of a set, adds BLEU-4 and CIDEr-D, and refuses sets that do not fit. */
class SceneScorerTest {

    // Image 7: a red circle left of a blue square. Image 8: two green triangles.
    private static final List<GeneratedScenes.Image> IMAGES = List.of(
            new GeneratedScenes.Image(7, "scene_000007.png", scene(280, 140,
                    object(ShapeColour.RED, ShapeKind.CIRCLE, ShapeSize.LARGE, 0, 0, 60),
                    object(ShapeColour.BLUE, ShapeKind.SQUARE, ShapeSize.LARGE, 200, 80, 60)),
                    List.of("A red circle to the left of a blue square.", "a red circle and a blue square")),
            new GeneratedScenes.Image(8, "scene_000008.png", scene(280, 140,
                    object(ShapeColour.GREEN, ShapeKind.TRIANGLE, ShapeSize.SMALL, 0, 0, 40),
                    object(ShapeColour.GREEN, ShapeKind.TRIANGLE, ShapeSize.SMALL, 100, 0, 40)),
                    List.of("Two green triangles", "two triangles")));

    private static final Map<Integer, List<String>> CAPTIONS = Map.of(
            7, tokens("a red circle to the left of a blue square"),
            8, tokens("three green triangles"));

    private static float[] peakedAt(int row, int column) {
        float[] map = new float[AttentionGrid.CELLS];
        map[row * AttentionGrid.SIDE + column] = 1;
        return map;
    }

    private static List<float[]> flat(int tokens) {
        List<float[]> maps = new ArrayList<>();
        for (int i = 0; i < tokens; i++) {
            maps.add(new float[AttentionGrid.CELLS]);
        }
        return maps;
    }

    @Test
    void theSetsScoresAreTheSumsOfItsImages() {
        SceneScores scores = new SceneScorer().score("fc7 LSTM", IMAGES, CAPTIONS);
        assertThat(scores.decoder()).isEqualTo("fc7 LSTM");
        assertThat(scores.images()).isEqualTo(2);
        assertThat(scores.objects()).isEqualTo(new ObjectNaming(3, 0, 0));
        assertThat(scores.counts()).isEqualTo(new CountAccuracy(1, 0, 1, 2));
        assertThat(scores.pointing()).isEmpty();
        assertThat(scores.bleu4()).isGreaterThan(0.5).isLessThan(1.0);
        assertThat(scores.ciderD()).isPositive();
    }

    @Test
    void captionsEqualToAReferenceHaveBleu4OfOne() {
        SceneScores scores = new SceneScorer().score("copy", IMAGES, Map.of(
                7, tokens("a red circle to the left of a blue square"), 8, tokens("two green triangles")));
        assertThat(scores.bleu4()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void withAttentionEveryImagesWordsArePointed() {
        // Image 7: "red" and "circle" peak inside the circle (cell 1,1), "blue" inside the square (cell 11,11),
        // "square" outside it. Image 8: the colour word on the first triangle (cell 1,1), the shape word on none.
        List<float[]> maps7 = flat(10);
        maps7.set(1, peakedAt(1, 1));
        maps7.set(2, peakedAt(1, 1));
        maps7.set(8, peakedAt(11, 11));
        List<float[]> maps8 = flat(3);
        maps8.set(1, peakedAt(1, 1));
        maps8.set(2, peakedAt(12, 12));
        SceneScores scores = new SceneScorer().score("attention LSTM", IMAGES, CAPTIONS, Map.of(7, maps7, 8, maps8));
        PointingAccuracy pointing = scores.pointing().orElseThrow();
        assertThat(pointing.words()).isEqualTo(6);
        assertThat(pointing.hits()).isEqualTo(4);
        double circleOrSquare = 3600.0 / (280 * 140);
        double triangles = 2 * 1600.0 / (280 * 140);
        assertThat(pointing.chance()).isCloseTo((4 * circleOrSquare + 2 * triangles) / 6, within(1e-12));
    }

    @Test
    void everyImageNeedsACaptionAndNoOtherAndEveryTokenAMap() {
        SceneScorer scorer = new SceneScorer();
        assertThatThrownBy(() -> scorer.score("x", IMAGES, Map.of(7, tokens("a red circle"))))
                .hasMessage("the captions must be those of the 2 images; missing for images 8");
        assertThatThrownBy(() -> scorer.score("x", IMAGES, Map.of(7, List.of(), 8, List.of(), 9, List.of())))
                .hasMessage("the captions must be those of the 2 images; given for images not in the set 9");
        assertThatThrownBy(() -> scorer.score("x", IMAGES, CAPTIONS, Map.of(7, flat(10), 8, flat(2))))
                .hasMessage("image 8: a caption of 3 tokens has 2 attention maps; it needs one per token");
        assertThatThrownBy(() -> scorer.score("x", IMAGES, CAPTIONS, Map.of(7, flat(10))))
                .hasMessage("the attention maps must be those of the 2 images; missing for images 8");
        assertThatThrownBy(() -> scorer.score("x", List.of(), Map.of())).hasMessage("there are no scenes to score");
    }

    @Test
    void anEmptyCaptionScoresNothing() {
        SceneImageScore empty = SceneScorer.scoreImage(IMAGES.get(0).scene(), List.of(), Optional.of(List.of()));
        assertThat(empty.objects()).isEqualTo(new ObjectNaming(0, 0, 2));
        assertThat(empty.counts()).isEqualTo(new CountAccuracy(0, 0, 0, 1));
        assertThat(empty.pointing()).contains(PointingAccuracy.NONE);
        SceneScores scores = new SceneScorer().score("silent", IMAGES, Map.of(7, List.of(), 8, List.of()));
        assertThat(scores.objects().f1()).isZero();
        assertThat(scores.bleu4()).isZero();
    }

    @Test
    void aRowPrintsAsOneLineOfTheTableAndAsJson() {
        SceneScores scores = new SceneScores("attention | LSTM", 500, 0.31249, 1.04551, new ObjectNaming(3, 1, 1),
                new CountAccuracy(10, 9, 32, 50), Optional.of(new PointingAccuracy(200, 141, 18.75)));
        assertThat(SceneScores.markdownHeader()).isEqualTo(
                "| decoder | images | BLEU-4 | CIDEr-D | object F1 | count accuracy | pointing accuracy |\n"
                        + "|---|---:|---:|---:|---:|---:|---:|");
        assertThat(scores.markdownRow()).isEqualTo(
                "| attention \\| LSTM | 500 | 0.312 | 1.046 | 0.750 | 0.900 (coverage 0.640) | 0.705 (chance 0.094) |");
        assertThat(scores.toJsonLine()).isEqualTo("{\"decoder\":\"attention | LSTM\",\"images\":500,\"bleu4\":0.31249,"
                + "\"ciderD\":1.04551,\"objects\":{\"f1\":0.75,\"precision\":0.75,\"recall\":0.75,\"truePositives\":3,"
                + "\"falsePositives\":1,\"falseNegatives\":1},\"counts\":{\"accuracy\":0.9,\"coverage\":0.64,"
                + "\"claims\":10,\"claimsHeld\":9,\"captionsWithClaims\":32,\"captions\":50},\"pointing\":{"
                + "\"accuracy\":0.705,\"chance\":0.09375,\"words\":200,\"hits\":141}}");
        SceneScores withoutAttention = new SceneScores("fc7 LSTM", 500, 0.2, 0.9, new ObjectNaming(3, 1, 1),
                new CountAccuracy(10, 9, 32, 50), Optional.empty());
        assertThat(withoutAttention.markdownRow()).endsWith("| 0.900 (coverage 0.640) | — |");
        assertThat(withoutAttention.toJson().get("pointing").isNull()).isTrue();
    }
}
