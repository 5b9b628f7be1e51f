package dev.captioner.training.synthetic;

import java.util.List;

/**
 * How big the shape is: its extent (circle diameter, square side, triangle base and height) as a fraction
 * of the image's shorter side. The ranges leave a gap so that no small shape is mistaken for a large one.
 */
public enum ShapeSize {
    SMALL(0.15, 0.25, List.of("small", "little")),
    LARGE(0.40, 0.60, List.of("large", "big"));

    private final double minFraction;
    private final double maxFraction;
    private final List<String> words;

    ShapeSize(double minFraction, double maxFraction, List<String> words) {
        this.minFraction = minFraction;
        this.maxFraction = maxFraction;
        this.words = words;
    }

    public double minFraction() {
        return minFraction;
    }

    public double maxFraction() {
        return maxFraction;
    }

    /** The ground-truth word, as written to {@code scenes.json}. */
    public String word() {
        return words.get(0);
    }

    /** Interchangeable caption words, {@link #word()} first. */
    public List<String> words() {
        return words;
    }
}
