package dev.captioner.training.synthetic;

/**
 * The shape colours. Colour is what random-weight VGG16 features carry best, so it is the property the demo
 * model is judged on; the base colours are saturated and far apart so a jittered one stays unmistakable.
 */
public enum ShapeColour {
    RED("red", 220, 30, 30),
    GREEN("green", 30, 160, 50),
    BLUE("blue", 30, 60, 220),
    YELLOW("yellow", 245, 210, 20),
    BLACK("black", 25, 25, 25);

    private final String word;
    private final int red;
    private final int green;
    private final int blue;

    ShapeColour(String word, int red, int green, int blue) {
        this.word = word;
        this.red = red;
        this.green = green;
        this.blue = blue;
    }

    public String word() {
        return word;
    }

    public int red() {
        return red;
    }

    public int green() {
        return green;
    }

    public int blue() {
        return blue;
    }
}
