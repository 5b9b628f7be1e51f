package dev.captioner.training.scenes;

import static dev.captioner.training.scenes.TestScenes.mentions;
import static dev.captioner.training.scenes.TestScenes.object;
import static dev.captioner.training.scenes.TestScenes.scene;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.captioner.training.synthetic.MultiObjectScene;
import dev.captioner.training.synthetic.ShapeColour;
import dev.captioner.training.synthetic.ShapeKind;
import dev.captioner.training.synthetic.ShapeSize;

import org.junit.jupiter.api.Test;

/** Object F1 on scenes whose answers are known by hand. */
class ObjectNamingTest {

    // Two red circles, a blue square and a small yellow triangle: three (colour, shape) pairs.
    private static final MultiObjectScene SCENE = scene(300, 200,
            object(ShapeColour.RED, ShapeKind.CIRCLE, ShapeSize.SMALL, 0, 0, 40),
            object(ShapeColour.RED, ShapeKind.CIRCLE, ShapeSize.LARGE, 50, 0, 100),
            object(ShapeColour.BLUE, ShapeKind.SQUARE, ShapeSize.SMALL, 0, 150, 40),
            object(ShapeColour.YELLOW, ShapeKind.TRIANGLE, ShapeSize.SMALL, 200, 150, 40));

    private static ObjectNaming naming(String caption) {
        return ObjectNaming.of(mentions(caption), SCENE);
    }

    @Test
    void namingEveryPairOnceOrManyTimesIsPerfect() {
        assertThat(naming("two red circles a blue square and a yellow triangle")).isEqualTo(new ObjectNaming(3, 0, 0));
        assertThat(naming("a red circle a red circle a blue square and a small yellow triangle").f1()).isEqualTo(1.0);
    }

    @Test
    void aWrongPairCostsPrecisionAndAMissingOneRecall() {
        ObjectNaming naming = naming("a red circle to the left of a green square");
        assertThat(naming).isEqualTo(new ObjectNaming(1, 1, 2));
        assertThat(naming.precision()).isEqualTo(0.5);
        assertThat(naming.recall()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(naming.f1()).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void aRightColourOnTheWrongShapeIsWrongAndAColourAloneNamesNoPair() {
        assertThat(naming("a red square")).isEqualTo(new ObjectNaming(0, 1, 3));
        assertThat(naming("two red shapes and a blue")).isEqualTo(new ObjectNaming(0, 0, 3));
        assertThat(naming("two red shapes and a blue").precision()).isZero();
        assertThat(naming("").f1()).isZero();
    }

    @Test
    void summedOverImagesTheCountsGiveTheMicroAverage() {
        MultiObjectScene oneCircle = scene(100, 100, object(ShapeColour.BLACK, ShapeKind.CIRCLE, ShapeSize.SMALL, 0, 0, 20));
        ObjectNaming total = naming("a red circle and a green square")
                .plus(ObjectNaming.of(mentions("a black circle"), oneCircle));
        assertThat(total).isEqualTo(new ObjectNaming(2, 1, 2));
        assertThat(total.precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(total.recall()).isEqualTo(0.5);
        assertThat(total.f1()).isCloseTo(4.0 / 7, within(1e-12));
    }
}
