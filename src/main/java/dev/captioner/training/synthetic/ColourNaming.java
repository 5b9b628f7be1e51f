package dev.captioner.training.synthetic;

import java.util.List;

import dev.captioner.language.Captioner;

/**
 * The demo model's proof that it looks at the image: does its best caption name the shape's colour (and
 * no other colour)? A model that ignores the image can do no better than guessing one colour of five.
 */
public final class ColourNaming {

    private ColourNaming() {
    }

    public static boolean namesColour(List<String> tokens, ShapeColour colour) {
        for (ShapeColour other : ShapeColour.values()) {
            if (other != colour && tokens.contains(other.word())) {
                return false;
            }
        }
        return tokens.contains(colour.word());
    }

    /** Fraction of images whose top beam-search caption names the right colour. */
    public static double accuracy(Captioner captioner, int maxLength, float[][] features, List<ShapeColour> colours) {
        int correct = 0;
        for (int i = 0; i < features.length; i++) {
            List<String> best = captioner.best(features[i], maxLength).tokens();
            if (namesColour(best, colours.get(i))) {
                correct++;
            }
        }
        return (double) correct / features.length;
    }
}
