package dev.captioner.training.scenes;

import dev.captioner.training.synthetic.MultiObjectScene;
import dev.captioner.training.synthetic.SceneObject;

/**
 * Where an attention map over VGG16's conv5 grid looks in the picture. The map has 14 x 14 cells, row-major,
 * rows from the top; the grid covers the whole image resized to 224 x 224 (stretched, not cropped), so cell
 * (r, c) covers x in [c/14, (c+1)/14) of the original width and y in [r/14, (r+1)/14) of its height.
 */
public final class AttentionGrid {

    public static final int SIDE = 14;
    public static final int CELLS = SIDE * SIDE;

    private AttentionGrid() {
    }

    /** The cell of highest weight, the first in row-major order among equals. */
    public static int peak(float[] map) {
        if (map.length != CELLS) {
            throw new IllegalArgumentException("an attention map has " + CELLS + " cells (" + SIDE + " x " + SIDE
                    + "), not " + map.length);
        }
        int peak = 0;
        for (int cell = 1; cell < CELLS; cell++) {
            if (map[cell] > map[peak]) {
                peak = cell;
            }
        }
        return peak;
    }

    /** Whether the centre of the cell, in the scene's pixels, lies inside the object's box. */
    public static boolean centreInside(int cell, MultiObjectScene scene, SceneObject object) {
        double x = (cell % SIDE + 0.5) / SIDE * scene.width();
        double y = (cell / SIDE + 0.5) / SIDE * scene.height();
        return x >= object.x() && x < object.x() + object.extent() && y >= object.y() && y < object.y() + object.extent();
    }
}
