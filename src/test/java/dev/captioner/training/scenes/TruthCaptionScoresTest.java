package dev.captioner.training.scenes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.captioner.language.PtbTokenizer;
import dev.captioner.training.synthetic.GeneratedScenes;
import dev.captioner.training.synthetic.SceneExample;
import dev.captioner.training.synthetic.SceneObject;
import dev.captioner.training.synthetic.ScenesDatasetGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scores of the scenes generator's own captions, which are true of their images: every count holds, nothing
 * named is absent, and a caption whose template names every object (the inventory, and the groups by colour and
 * shape) has object F1 1. Attention that looks at the named object always hits; attention that looks anywhere
 * scores the chance rate.
 */
class TruthCaptionScoresTest {

    private static final Set<String> RELATION_WORDS = Set.of("left", "right", "above", "below");
    private static final PtbTokenizer TOKENIZER = new PtbTokenizer();

    private static final List<GeneratedScenes.Image> images = new ArrayList<>();
    private static final Map<Integer, List<List<String>>> tokenized = new HashMap<>();

    @BeforeAll
    static void generate() {
        List<SceneExample> examples = new ScenesDatasetGenerator(31).generateInMemory(300);
        for (int i = 0; i < examples.size(); i++) {
            SceneExample example = examples.get(i);
            images.add(new GeneratedScenes.Image(i + 1, "scene_" + (i + 1) + ".png", example.scene(), example.captions()));
            tokenized.put(i + 1, TOKENIZER.tokenize(example.captions()));
        }
    }

    @Test
    void everyCountHoldsAndNothingNamedIsAbsent() {
        CountAccuracy counts = CountAccuracy.NONE;
        ObjectNaming objects = ObjectNaming.NONE;
        for (GeneratedScenes.Image image : images) {
            for (List<String> caption : tokenized.get(image.imageId())) {
                SceneImageScore score = SceneScorer.scoreImage(image.scene(), caption, Optional.empty());
                assertThat(score.counts().claimsHeld()).as(String.join(" ", caption) + " of " + image.scene().objects())
                        .isEqualTo(score.counts().claims());
                assertThat(score.objects().falsePositives()).as(String.join(" ", caption)).isZero();
                counts = counts.plus(score.counts());
                objects = objects.plus(score.objects());
            }
        }
        assertThat(counts.accuracy()).isEqualTo(1.0);
        assertThat(counts.claims()).isGreaterThan(500);
        assertThat(counts.coverage()).isGreaterThan(0.3);
        assertThat(objects.precision()).isEqualTo(1.0);
    }

    @Test
    void aCaptionThatNamesEveryObjectHasObjectF1OfOne() {
        int namingEveryObject = 0;
        for (GeneratedScenes.Image image : images) {
            for (List<String> caption : tokenized.get(image.imageId())) {
                List<SceneMention> mentions = SceneMentions.read(caption);
                boolean relation = caption.stream().anyMatch(RELATION_WORDS::contains);
                if (!relation && mentions.stream().anyMatch(SceneMention::namesColourAndKind)) {
                    namingEveryObject++;
                    assertThat(ObjectNaming.of(mentions, image.scene()).f1()).as(String.join(" ", caption)).isEqualTo(1.0);
                }
            }
        }
        // Two templates of the seven others name every object; each image gets four of them.
        assertThat(namingEveryObject).isGreaterThan(200);
    }

    @Test
    void attentionOnTheNamedObjectAlwaysHits() {
        PointingAccuracy pointing = PointingAccuracy.NONE;
        for (GeneratedScenes.Image image : images) {
            for (List<String> caption : tokenized.get(image.imageId())) {
                List<float[]> maps = new ArrayList<>();
                caption.forEach(token -> maps.add(new float[AttentionGrid.CELLS]));
                for (SceneMention mention : SceneMentions.read(caption)) {
                    image.scene().objects().stream().filter(mention::hasColourAndKindOf).findFirst().ifPresent(object -> {
                        maps.get(mention.colourPosition())[cellAtCentreOf(object, image)] = 1;
                        maps.get(mention.kindPosition())[cellAtCentreOf(object, image)] = 1;
                    });
                }
                pointing = pointing.plus(SceneScorer.scoreImage(image.scene(), caption, Optional.of(maps)).pointing().orElseThrow());
            }
        }
        assertThat(pointing.words()).isGreaterThan(1000);
        assertThat(pointing.accuracy()).isEqualTo(1.0);
    }

    @Test
    void attentionAnywhereScoresTheChanceRate() {
        Random random = new Random(5);
        Map<Integer, List<String>> firstCaptions = new HashMap<>();
        Map<Integer, List<float[]>> attention = new HashMap<>();
        for (GeneratedScenes.Image image : images) {
            for (int i = 0; i < tokenized.get(image.imageId()).size(); i++) {
                List<String> caption = tokenized.get(image.imageId()).get(i);
                List<float[]> maps = new ArrayList<>();
                for (int t = 0; t < caption.size(); t++) {
                    float[] map = new float[AttentionGrid.CELLS];
                    for (int cell = 0; cell < map.length; cell++) {
                        map[cell] = random.nextFloat();
                    }
                    maps.add(map);
                }
                if (i == 0) {
                    firstCaptions.put(image.imageId(), caption);
                    attention.put(image.imageId(), maps);
                }
            }
        }
        SceneScores scores = new SceneScorer().score("random attention", images, firstCaptions, attention);
        PointingAccuracy pointing = scores.pointing().orElseThrow();
        // About 1,000 words (970 with this seed): the hit rate's standard error is about 0.01 around a chance near 0.1.
        assertThat(pointing.words()).isGreaterThan(400);
        assertThat(pointing.chance()).isBetween(0.05, 0.3);
        assertThat(pointing.accuracy()).isCloseTo(pointing.chance(), within(0.05));
        assertThat(scores.counts().accuracy()).isEqualTo(1.0);
        assertThat(scores.objects().precision()).isEqualTo(1.0);
        assertThat(scores.bleu4()).isGreaterThan(0.5);
    }

    /** The grid cell whose area holds the centre of the object's box. */
    private static int cellAtCentreOf(SceneObject object, GeneratedScenes.Image image) {
        int column = (int) (object.centreX() / image.scene().width() * AttentionGrid.SIDE);
        int row = (int) (object.centreY() / image.scene().height() * AttentionGrid.SIDE);
        return row * AttentionGrid.SIDE + column;
    }
}
