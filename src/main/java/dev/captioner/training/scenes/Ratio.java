package dev.captioner.training.scenes;

/** The scores' one convention for a ratio with nothing to divide by: 0, so a table never shows NaN. */
final class Ratio {

    private Ratio() {
    }

    static double of(double part, double whole) {
        return whole == 0 ? 0 : part / whole;
    }
}
