package dev.captioner.training.synthetic;

public enum ShapeKind {
    CIRCLE("circle"),
    SQUARE("square"),
    TRIANGLE("triangle");

    private final String word;

    ShapeKind(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
