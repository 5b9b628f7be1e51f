package dev.captioner.training.scenes;

import static dev.captioner.training.scenes.TestScenes.mentions;
import static dev.captioner.training.scenes.TestScenes.object;
import static dev.captioner.training.scenes.TestScenes.scene;
import static org.assertj.core.api.Assertions.assertThat;

import dev.captioner.training.synthetic.MultiObjectScene;
import dev.captioner.training.synthetic.ShapeColour;
import dev.captioner.training.synthetic.ShapeKind;
import dev.captioner.training.synthetic.ShapeSize;

import org.junit.jupiter.api.Test;

/** Which mentions claim a count, and when the claim holds, on a scene whose numbers are known by hand. */
class CountAccuracyTest {

    // Two green triangles (one small, one large), a small yellow circle: three objects.
    private static final MultiObjectScene SCENE = scene(300, 200,
            object(ShapeColour.GREEN, ShapeKind.TRIANGLE, ShapeSize.SMALL, 0, 0, 40),
            object(ShapeColour.GREEN, ShapeKind.TRIANGLE, ShapeSize.LARGE, 50, 0, 100),
            object(ShapeColour.YELLOW, ShapeKind.CIRCLE, ShapeSize.SMALL, 200, 150, 40));

    private static CountAccuracy counts(String caption) {
        return CountAccuracy.of(mentions(caption), SCENE);
    }

    @Test
    void aNumberHoldsForTheObjectsWithEveryPropertyItNames() {
        assertThat(counts("two green triangles and a yellow circle")).isEqualTo(new CountAccuracy(1, 1, 1, 1));
        assertThat(counts("there are three shapes in the picture")).isEqualTo(new CountAccuracy(1, 1, 1, 1));
        assertThat(counts("two triangles and one circle")).isEqualTo(new CountAccuracy(2, 2, 1, 1));
        assertThat(counts("two small shapes and a large shape")).isEqualTo(new CountAccuracy(1, 1, 1, 1));
        assertThat(counts("one small green triangle")).isEqualTo(new CountAccuracy(1, 1, 1, 1));
    }

    @Test
    void aWrongNumberFails() {
        assertThat(counts("three green triangles")).isEqualTo(new CountAccuracy(1, 0, 1, 1));
        assertThat(counts("there are four objects in the image")).isEqualTo(new CountAccuracy(1, 0, 1, 1));
        assertThat(counts("a single shape on a plain background")).isEqualTo(new CountAccuracy(1, 0, 1, 1));
        assertThat(counts("two small triangles")).isEqualTo(new CountAccuracy(1, 0, 1, 1));
    }

    @Test
    void aBarePluralClaimsMoreThanOne() {
        assertThat(counts("green triangles")).isEqualTo(new CountAccuracy(1, 1, 1, 1));
        assertThat(counts("yellow circles")).isEqualTo(new CountAccuracy(1, 0, 1, 1));
    }

    @Test
    void anArticleClaimsNothingAndCoverageCountsCaptionsThatClaim() {
        assertThat(counts("a green triangle to the left of a yellow circle")).isEqualTo(new CountAccuracy(0, 0, 0, 1));
        CountAccuracy total = counts("a green triangle").plus(counts("three green triangles and a yellow circle"))
                .plus(counts("two green triangles and two yellow circles")).plus(counts("three objects"));
        assertThat(total).isEqualTo(new CountAccuracy(4, 2, 3, 4));
        assertThat(total.accuracy()).isEqualTo(0.5);
        assertThat(total.coverage()).isEqualTo(0.75);
        assertThat(CountAccuracy.NONE.accuracy()).isZero();
    }
}
