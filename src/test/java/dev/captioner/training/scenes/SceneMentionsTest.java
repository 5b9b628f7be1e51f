package dev.captioner.training.scenes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.captioner.training.synthetic.ShapeColour;
import dev.captioner.training.synthetic.ShapeKind;
import dev.captioner.training.synthetic.ShapeSize;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What the mention reader makes of the templates' captions and of captions a model gets wrong. */
class SceneMentionsTest {

    private static List<SceneMention> read(String caption) {
        return SceneMentions.read(Arrays.asList(caption.split(" ")));
    }

    private static SceneMention mention(int count, boolean plural, ShapeSize size, ShapeColour colour, int colourAt,
                                        ShapeKind kind, int kindAt) {
        return new SceneMention(count, plural, size, colour, kind, colourAt, kindAt);
    }

    private static final int NONE = SceneMention.NO_POSITION;

    @Test
    void aRelationNamesTwoObjectsWithSizesAndTheirWordsPositions() {
        assertThat(read("a red circle to the left of a small blue square")).containsExactly(
                mention(0, false, null, ShapeColour.RED, 1, ShapeKind.CIRCLE, 2),
                mention(0, false, ShapeSize.SMALL, ShapeColour.BLUE, 9, ShapeKind.SQUARE, 10));
        assertThat(read("the big yellow triangle is below the little black circle")).containsExactly(
                mention(0, false, ShapeSize.LARGE, ShapeColour.YELLOW, 2, ShapeKind.TRIANGLE, 3),
                mention(0, false, ShapeSize.SMALL, ShapeColour.BLACK, 8, ShapeKind.CIRCLE, 9));
    }

    @Test
    void groupsCarryTheirCountsAndPlurals() {
        assertThat(read("two green triangles and a yellow circle")).containsExactly(
                mention(2, true, null, ShapeColour.GREEN, 1, ShapeKind.TRIANGLE, 2),
                mention(0, false, null, ShapeColour.YELLOW, 5, ShapeKind.CIRCLE, 6));
        assertThat(read("three red shapes")).containsExactly(mention(3, true, null, ShapeColour.RED, 1, null, NONE));
        assertThat(read("two squares and a circle")).containsExactly(
                mention(2, true, null, null, NONE, ShapeKind.SQUARE, 1),
                mention(0, false, null, null, NONE, ShapeKind.CIRCLE, 4));
        assertThat(read("two small shapes and a large shape")).containsExactly(
                mention(2, true, ShapeSize.SMALL, null, NONE, null, NONE),
                mention(0, false, ShapeSize.LARGE, null, NONE, null, NONE));
    }

    @Test
    void countsOfTheWholeSceneAreMentionsOfNoProperty() {
        assertThat(read("there are three objects in the picture")).containsExactly(mention(3, true, null, null, NONE, null, NONE));
        assertThat(read("a single shape on a plain background")).containsExactly(mention(1, false, null, null, NONE, null, NONE));
        assertThat(read("three shapes a big red square a blue circle and a small yellow triangle")).containsExactly(
                mention(3, true, null, null, NONE, null, NONE),
                mention(0, false, ShapeSize.LARGE, ShapeColour.RED, 4, ShapeKind.SQUARE, 5),
                mention(0, false, null, ShapeColour.BLUE, 7, ShapeKind.CIRCLE, 8),
                mention(0, false, ShapeSize.SMALL, ShapeColour.YELLOW, 12, ShapeKind.TRIANGLE, 13));
    }

    @Test
    void aColourWithoutAShapeIsAMentionOfTheColourOnly() {
        assertThat(read("a red and a blue circle")).containsExactly(
                mention(0, false, null, ShapeColour.RED, 1, null, NONE),
                mention(0, false, null, ShapeColour.BLUE, 4, ShapeKind.CIRCLE, 5));
        assertThat(read("a green")).containsExactly(mention(0, false, null, ShapeColour.GREEN, 1, null, NONE));
    }

    @Test
    void aSecondWordForTheSamePropertyStartsANewMention() {
        assertThat(read("a red blue circle")).containsExactly(
                mention(0, false, null, ShapeColour.RED, 1, null, NONE),
                mention(0, false, null, ShapeColour.BLUE, 2, ShapeKind.CIRCLE, 3));
        assertThat(read("two three circles")).containsExactly(mention(3, true, null, null, NONE, ShapeKind.CIRCLE, 2));
        assertThat(read("a small big square")).containsExactly(
                mention(0, false, ShapeSize.SMALL, null, NONE, null, NONE),
                mention(0, false, ShapeSize.LARGE, null, NONE, ShapeKind.SQUARE, 3));
        assertThat(read("red circle circle")).containsExactly(
                mention(0, false, null, ShapeColour.RED, 0, ShapeKind.CIRCLE, 1),
                mention(0, false, null, null, NONE, ShapeKind.CIRCLE, 2));
    }

    @Test
    void badCountsAreReadAsWritten() {
        assertThat(read("red circles")).containsExactly(mention(0, true, null, ShapeColour.RED, 0, ShapeKind.CIRCLE, 1));
        assertThat(read("two red circle")).containsExactly(mention(2, false, null, ShapeColour.RED, 1, ShapeKind.CIRCLE, 2));
        assertThat(read("a red one")).containsExactly(mention(0, false, null, ShapeColour.RED, 1, null, NONE));
        assertThat(read("blue small triangle")).containsExactly(
                mention(0, false, ShapeSize.SMALL, ShapeColour.BLUE, 0, ShapeKind.TRIANGLE, 2));
    }

    @Test
    void wordsOfNoSceneNameNothing() {
        assertThat(read("a picture of the the")).isEmpty();
        assertThat(read("two")).isEmpty();
        assertThat(SceneMentions.read(List.of())).isEmpty();
        assertThat(read("circless shapess")).isEmpty();
    }
}
