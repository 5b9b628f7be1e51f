package dev.captioner.training.synthetic;

import java.util.List;

/** Which third of the image, left to right, holds the shape's centre. */
public enum ShapePosition {
    LEFT("left", List.of("on the left"), "on the left side"),
    MIDDLE("middle", List.of("in the middle", "in the center"), "in the middle"),
    RIGHT("right", List.of("on the right"), "on the right side");

    private final String word;
    private final List<String> phrases;
    private final String ofThePicturePhrase;

    ShapePosition(String word, List<String> phrases, String ofThePicturePhrase) {
        this.word = word;
        this.phrases = phrases;
        this.ofThePicturePhrase = ofThePicturePhrase;
    }

    /** The ground-truth word, as written to {@code scenes.json}. */
    public String word() {
        return word;
    }

    /** Interchangeable caption phrases, e.g. "in the center". */
    public List<String> phrases() {
        return phrases;
    }

    /** The phrase to follow with "of the picture": "on the left side", "in the middle". */
    public String ofThePicturePhrase() {
        return ofThePicturePhrase;
    }

    /** The horizontal span of this third in an image {@code width} pixels wide: {@code [from, to)}. */
    public double from(int width) {
        return width * ordinal() / 3.0;
    }

    public double to(int width) {
        return width * (ordinal() + 1) / 3.0;
    }
}
