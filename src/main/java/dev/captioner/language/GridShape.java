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

    /** Where a cell's channel sits in the flattened features. */
    public int index(int row, int column, int channel) {
        return (row * columns + column) * channels + channel;
    }

    /** Weights over the positions as [rows][columns], each rounded to 4 decimals (what answers carry). */
    public double[][] asRows(float[] weights) {
        if (weights.length != positions()) {
            throw new IllegalArgumentException(weights.length + " weights for a grid of " + positions() + " positions");
        }
        double[][] grid = new double[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                grid[r][c] = Math.round(weights[r * columns + c] * 1e4) / 1e4;
            }
        }
        return grid;
    }
}
