package dev.captioner.language;

/** A grid of feature vectors over the whole image: row-major positions of {@code channels} floats each. */
public record GridShape(int rows, int columns, int channels) {

    public GridShape {
        if (rows < 1 || columns < 1 || channels < 1) {
            throw new IllegalArgumentException("bad grid shape " + rows + "x" + columns + "x" + channels);
        }
    }

    public int positions() {
        return rows * columns;
    }

    public int featureSize() {
        return positions() * channels;
    }
}
