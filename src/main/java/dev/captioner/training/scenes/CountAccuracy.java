package dev.captioner.training.scenes;

import dev.captioner.training.synthetic.MultiObjectScene;
import java.util.List;

/**
 * Count accuracy: every mention that says how many ({@link SceneMention#claimsCount}: "two green triangles",
 * "three shapes", "one object", "a single shape", or a bare plural, which says more than one) is a claim about
 * the objects that have every property it names, and it holds when the scene has exactly that many of them
 * ("three shapes": all objects; "two red shapes": the red ones; "two small circles": the small circles). "A red
 * circle" is no claim: the templates write it of one of several red circles too. Accuracy is over claims;
 * coverage, the share of captions that make one, says how many captions the accuracy speaks for.
 */
public record CountAccuracy(int claims, int claimsHeld, int captionsWithClaims, int captions) {

    public static final CountAccuracy NONE = new CountAccuracy(0, 0, 0, 0);

    /** The claims of one caption. */
    public static CountAccuracy of(List<SceneMention> mentions, MultiObjectScene scene) {
        int claims = 0;
        int held = 0;
        for (SceneMention mention : mentions) {
            if (mention.claimsCount()) {
                claims++;
                long fitting = scene.objects().stream().filter(mention::fits).count();
                if (mention.countHolds(fitting)) {
                    held++;
                }
            }
        }
        return new CountAccuracy(claims, held, claims > 0 ? 1 : 0, 1);
    }

    public CountAccuracy plus(CountAccuracy other) {
        return new CountAccuracy(claims + other.claims, claimsHeld + other.claimsHeld,
                captionsWithClaims + other.captionsWithClaims, captions + other.captions);
    }

    /** Share of claims that hold; 0 where none was made. */
    public double accuracy() {
        return Ratio.of(claimsHeld, claims);
    }

    /** Share of captions that make at least one claim. */
    public double coverage() {
        return Ratio.of(captionsWithClaims, captions);
    }
}
