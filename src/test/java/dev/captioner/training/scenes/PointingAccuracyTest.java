package dev.captioner.training.scenes;

import static dev.captioner.training.scenes.TestScenes.mentions;
import static dev.captioner.training.scenes.TestScenes.object;
import static dev.captioner.training.scenes.TestScenes.scene;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.captioner.training.synthetic.MultiObjectScene;
import dev.captioner.training.synthetic.ShapeColour;
import dev.captioner.training.synthetic.ShapeKind;
import dev.captioner.training.synthetic.ShapeSize;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Peaks of hand-made attention maps inside and outside the named object's box, and the chance rate. */
class PointingAccuracyTest {

    // 280 x 140 px: a cell is 20 px wide and 10 px high. Red circle box x 0..59, y 0..59; blue square x 200..259,
    // y 80..139; a second blue square x 100..139, y 100..139.
    private static final MultiObjectScene SCENE = scene(280, 140,
            object(ShapeColour.RED, ShapeKind.CIRCLE, ShapeSize.LARGE, 0, 0, 60),
            object(ShapeColour.BLUE, ShapeKind.SQUARE, ShapeSize.LARGE, 200, 80, 60),
            object(ShapeColour.BLUE, ShapeKind.SQUARE, ShapeSize.SMALL, 100, 100, 40));

    private static final double CHANCE_RED = 60.0 * 60 / (280 * 140);
    private static final double CHANCE_BLUE = (60.0 * 60 + 40 * 40) / (280 * 140);

    /** A map with all its weight near cell (row, column) and a little everywhere else. */
    private static float[] peakedAt(int row, int column) {
        float[] map = new float[AttentionGrid.CELLS];
        java.util.Arrays.fill(map, 0.001f);
        map[row * AttentionGrid.SIDE + column] = 0.5f;
        return map;
    }

    private static List<float[]> maps(int tokens, int[][] peaks) {
        List<float[]> maps = new ArrayList<>();
        for (int i = 0; i < tokens; i++) {
            maps.add(peaks[i] == null ? new float[AttentionGrid.CELLS] : peakedAt(peaks[i][0], peaks[i][1]));
        }
        return maps;
    }

    @Test
    void aPeakInsideTheBoxHitsAndOneOutsideMisses() {
        // "a red circle": the colour word peaks on the circle (cell 1,1: centre 30,15), the shape word off it
        // (cell 1,3: centre 70,15, past the box's right edge at 60).
        PointingAccuracy pointing = PointingAccuracy.of(mentions("a red circle"), SCENE,
                maps(3, new int[][] {null, {1, 1}, {1, 3}}));
        assertThat(pointing.words()).isEqualTo(2);
        assertThat(pointing.hits()).isEqualTo(1);
        assertThat(pointing.accuracy()).isEqualTo(0.5);
        assertThat(pointing.chance()).isCloseTo(CHANCE_RED, within(1e-12));
    }

    @Test
    void cellsCoverTheImageStretchedToTheGrid() {
        // Cell (5, 2) has centre (50, 55): inside the red circle's box. Cell (6, 2) has centre (50, 65): below it.
        assertThat(AttentionGrid.centreInside(5 * 14 + 2, SCENE, SCENE.objects().get(0))).isTrue();
        assertThat(AttentionGrid.centreInside(6 * 14 + 2, SCENE, SCENE.objects().get(0))).isFalse();
        // Row 13 is the bottom of the image, column 13 its right edge: centre (270, 135), right of the square's box.
        assertThat(AttentionGrid.centreInside(13 * 14 + 12, SCENE, SCENE.objects().get(1))).isTrue();
        assertThat(AttentionGrid.centreInside(13 * 14 + 13, SCENE, SCENE.objects().get(1))).isFalse();
    }

    @Test
    void whereSeveralObjectsMatchAnyOfThemCountsAndChanceIsTheirUnion() {
        // "two blue squares": the colour word on the small square (cell 11,6: centre 130,115), the shape word on the
        // large one (cell 10,11: centre 230,105).
        PointingAccuracy pointing = PointingAccuracy.of(mentions("two blue squares"), SCENE,
                maps(3, new int[][] {null, {11, 6}, {10, 11}}));
        assertThat(pointing).isEqualTo(new PointingAccuracy(2, 2, 2 * CHANCE_BLUE));
        assertThat(pointing.chance()).isCloseTo(CHANCE_BLUE, within(1e-12));
    }

    @Test
    void mentionsOfNoPresentObjectAndHalfMentionsAreNotScored() {
        List<String> caption = TestScenes.tokens("a green circle a red and a blue square");
        int[][] peaks = new int[caption.size()][];
        peaks[1] = new int[] {0, 0};
        peaks[2] = new int[] {0, 0};
        peaks[4] = new int[] {0, 0};
        peaks[7] = new int[] {11, 6};
        peaks[8] = new int[] {0, 0};
        PointingAccuracy pointing = PointingAccuracy.of(SceneMentions.read(caption), SCENE, maps(caption.size(), peaks));
        assertThat(pointing.words()).isEqualTo(2);
        assertThat(pointing.hits()).isEqualTo(1);
        assertThat(pointing.chance()).isCloseTo(CHANCE_BLUE, within(1e-12));
    }

    @Test
    void summedOverCaptionsChanceIsTheMeanOverWords() {
        PointingAccuracy red = PointingAccuracy.of(mentions("a red circle"), SCENE, maps(3, new int[][] {null, {0, 0}, {0, 0}}));
        PointingAccuracy blue = PointingAccuracy.of(mentions("blue square"), SCENE, maps(2, new int[][] {{0, 0}, {0, 0}}));
        PointingAccuracy total = red.plus(blue);
        assertThat(total.words()).isEqualTo(4);
        assertThat(total.hits()).isEqualTo(2);
        assertThat(total.chance()).isCloseTo((CHANCE_RED + CHANCE_BLUE) / 2, within(1e-12));
    }

    @Test
    void thePeakIsTheFirstHighestCellAndAMapMustHave196() {
        float[] flat = new float[AttentionGrid.CELLS];
        assertThat(AttentionGrid.peak(flat)).isZero();
        flat[17] = 1;
        flat[150] = 1;
        assertThat(AttentionGrid.peak(flat)).isEqualTo(17);
        flat[195] = 2;
        assertThat(AttentionGrid.peak(flat)).isEqualTo(195);
        assertThatThrownBy(() -> AttentionGrid.peak(new float[49]))
                .hasMessage("an attention map has 196 cells (14 x 14), not 49");
    }
}
