package dev.captioner.training.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/** Captions and scene statistics over 1000 scenes: what the demo model learns from. */
class SyntheticCaptionsTest {

    private record Captioned(SyntheticScene scene, List<List<String>> captions) {
    }

    private static final int SCENES = 1000;

    private static final List<Captioned> CAPTIONED = captioned(new ShapesDatasetGenerator(11));

    private static List<Captioned> captioned(ShapesDatasetGenerator generator) {
        Random random = new Random(12);
        List<Captioned> result = new ArrayList<>();
        for (int i = 0; i < SCENES; i++) {
            SyntheticScene scene = generator.randomScene();
            result.add(new Captioned(scene, ShapesDatasetGenerator.captions(scene, random).stream()
                    .map(SyntheticCaptionsTest::words).toList()));
        }
        return result;
    }

    private static List<String> words(String caption) {
        return Arrays.stream(caption.toLowerCase(Locale.ROOT).split("[^a-z]+")).filter(w -> !w.isEmpty()).toList();
    }

    @Test
    void everyCaptionNamesTheScenesColourAndNoOther() {
        for (Captioned c : CAPTIONED) {
            for (List<String> caption : c.captions()) {
                assertThat(caption).as(String.join(" ", caption)).contains(c.scene().colour().word());
                for (ShapeColour other : ShapeColour.values()) {
                    if (other != c.scene().colour()) {
                        assertThat(caption).doesNotContain(other.word());
                    }
                }
            }
        }
    }

    @Test
    void captionsNeverNameAnotherKindSizeOrPosition() {
        for (Captioned c : CAPTIONED) {
            SyntheticScene scene = c.scene();
            for (List<String> caption : c.captions()) {
                for (ShapeKind kind : ShapeKind.values()) {
                    if (kind != scene.kind()) {
                        assertThat(caption).doesNotContain(kind.word());
                    }
                }
                for (ShapeSize size : ShapeSize.values()) {
                    if (size != scene.size()) {
                        assertThat(caption).doesNotContainAnyElementsOf(size.words());
                    }
                }
                for (ShapePosition position : ShapePosition.values()) {
                    if (position != scene.position()) {
                        assertThat(String.join(" ", caption)).doesNotContain(position.word());
                    }
                }
            }
        }
    }

    @Test
    void captionsAreVariedShortAndMostlyNameTheShape() {
        int captions = 0;
        int withKind = 0;
        int withSize = 0;
        int withPosition = 0;
        Set<String> patterns = new HashSet<>();
        for (Captioned c : CAPTIONED) {
            SyntheticScene scene = c.scene();
            assertThat(new HashSet<>(c.captions())).hasSize(5);
            for (List<String> caption : c.captions()) {
                captions++;
                assertThat(caption.size()).isBetween(3, 14);
                withKind += caption.contains(scene.kind().word()) ? 1 : 0;
                withSize += caption.stream().anyMatch(scene.size().words()::contains) ? 1 : 0;
                withPosition += String.join(" ", caption).contains(scene.position().word())
                        || caption.contains("center") ? 1 : 0;
                patterns.add(pattern(caption, scene));
            }
        }
        assertThat((double) withKind / captions).isBetween(0.7, 0.95);
        assertThat((double) withSize / captions).isBetween(0.2, 0.6);
        assertThat((double) withPosition / captions).isBetween(0.3, 0.8);
        assertThat(patterns).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void vocabularyIsSmallAndEveryWordIsFrequent() {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Integer> captionsWith = new HashMap<>();
        int captions = 0;
        for (Captioned c : CAPTIONED) {
            for (List<String> caption : c.captions()) {
                captions++;
                caption.forEach(word -> counts.merge(word, 1, Integer::sum));
                new HashSet<>(caption).forEach(word -> captionsWith.merge(word, 1, Integer::sum));
            }
        }
        assertThat(counts.size()).isBetween(25, 80);
        // The trainer's vocabulary keeps words seen at least five times: every word must make it.
        assertThat(counts.values()).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(20));
        for (ShapeColour colour : ShapeColour.values()) {
            assertThat((double) captionsWith.get(colour.word()) / captions).as(colour.word()).isBetween(0.15, 0.25);
        }
    }

    @Test
    void scenesAreRoughlyUniform() {
        assertRoughlyUniform(c -> c.scene().colour(), ShapeColour.class);
        assertRoughlyUniform(c -> c.scene().kind(), ShapeKind.class);
        assertRoughlyUniform(c -> c.scene().size(), ShapeSize.class);
        assertRoughlyUniform(c -> c.scene().position(), ShapePosition.class);
    }

    @Test
    void scenesRespectTheSizeAndPositionRules() {
        for (Captioned c : CAPTIONED) {
            SyntheticScene scene = c.scene();
            double fraction = scene.extent() / Math.min(scene.width(), scene.height());
            assertThat(fraction).isBetween(scene.size().minFraction(), scene.size().maxFraction());
            assertThat(scene.centreX()).isBetween(scene.position().from(scene.width()), scene.position().to(scene.width()));
        }
    }

    @Test
    void aSceneWithTheShapeOutsideTheImageIsRejected() {
        SyntheticScene valid = CAPTIONED.get(0).scene();
        assertThatIllegalArgumentException().isThrownBy(() -> new SyntheticScene(
                valid.colour(), valid.kind(), valid.size(), valid.position(), valid.width(), valid.height(),
                valid.extent() / 2 - 1, valid.centreY(), valid.extent(), valid.shapeRgb(),
                valid.backgroundFromRgb(), valid.backgroundToRgb(), valid.gradientAngle()));
    }

    private static <E extends Enum<E>> void assertRoughlyUniform(Function<Captioned, E> property, Class<E> type) {
        Map<E, Integer> counts = new EnumMap<>(type);
        CAPTIONED.forEach(c -> counts.merge(property.apply(c), 1, Integer::sum));
        E[] values = type.getEnumConstants();
        double expected = (double) SCENES / values.length;
        assertThat(counts.keySet()).containsExactlyInAnyOrder(values);
        // About four standard deviations of a binomial count either way.
        double tolerance = 4 * Math.sqrt(expected * (1 - 1.0 / values.length));
        assertThat(counts.values()).as(type.getSimpleName() + " " + counts)
                .allSatisfy(count -> assertThat((double) count).isBetween(expected - tolerance, expected + tolerance));
    }

    /** The caption with the scene's own words replaced by placeholders: which template it came from. */
    private static String pattern(List<String> caption, SyntheticScene scene) {
        List<String> pattern = new ArrayList<>();
        for (String word : caption) {
            if (word.equals(scene.colour().word())) {
                pattern.add("COLOUR");
            } else if (word.equals(scene.kind().word())) {
                pattern.add("KIND");
            } else if (scene.size().words().contains(word)) {
                pattern.add("SIZE");
            } else {
                pattern.add(word);
            }
        }
        return String.join(" ", pattern);
    }
}
