package dev.captioner.training.scenes;

import dev.captioner.training.synthetic.MultiObjectScene;
import dev.captioner.training.synthetic.SceneObject;
import dev.captioner.training.synthetic.ShapeColour;
import dev.captioner.training.synthetic.ShapeKind;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Object F1: the set of (colour, shape) pairs a caption names against the set present in its scene. Sets, not
 * multisets, so that F1 asks only which objects a caption names and how many is left to {@link CountAccuracy}:
 * "a red circle" of a scene with two red circles names what is there, and a model that repeats "a red circle
 * and a red circle" is not scored twice for one mistake. Summed with {@link #plus}, the counts give the
 * micro-average over images. Where no pair is named, precision is 0.
 */
public record ObjectNaming(int truePositives, int falsePositives, int falseNegatives) {

    public static final ObjectNaming NONE = new ObjectNaming(0, 0, 0);

    private record ColourAndKind(ShapeColour colour, ShapeKind kind) {
    }

    public static ObjectNaming of(List<SceneMention> mentions, MultiObjectScene scene) {
        Set<ColourAndKind> named = new HashSet<>();
        for (SceneMention mention : mentions) {
            if (mention.namesColourAndKind()) {
                named.add(new ColourAndKind(mention.colour(), mention.kind()));
            }
        }
        Set<ColourAndKind> present = new HashSet<>();
        for (SceneObject object : scene.objects()) {
            present.add(new ColourAndKind(object.colour(), object.kind()));
        }
        Set<ColourAndKind> namedAndPresent = new HashSet<>(named);
        namedAndPresent.retainAll(present);
        int hits = namedAndPresent.size();
        return new ObjectNaming(hits, named.size() - hits, present.size() - hits);
    }

    public ObjectNaming plus(ObjectNaming other) {
        return new ObjectNaming(truePositives + other.truePositives, falsePositives + other.falsePositives,
                falseNegatives + other.falseNegatives);
    }

    public double precision() {
        return Ratio.of(truePositives, truePositives + falsePositives);
    }

    public double recall() {
        return Ratio.of(truePositives, truePositives + falseNegatives);
    }

    public double f1() {
        double precision = precision();
        double recall = recall();
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }
}
