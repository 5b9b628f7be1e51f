package dev.captioner.training.scenes;

import dev.captioner.training.synthetic.MultiObjectScene;
import dev.captioner.training.synthetic.SceneObject;
import java.util.List;

/**
 * Pointing accuracy of an attention decoder: for each colour word and each shape word of a mention whose colour
 * and shape some object of the scene has, does the peak of that word's attention map fall inside such an object's
 * box (any of them, where several match)? Chance is what a peak anywhere in the picture would score: the area of
 * the matching boxes over the image's, averaged over the same words. Words of mentions that match no object, and
 * mentions that name only a colour or only a shape, are not scored.
 *
 * @param chanceSum the chance of every word scored, summed
 */
public record PointingAccuracy(int words, int hits, double chanceSum) {

    public static final PointingAccuracy NONE = new PointingAccuracy(0, 0, 0);

    /** The words of one caption, given one map of {@link AttentionGrid#CELLS} weights per token. */
    public static PointingAccuracy of(List<SceneMention> mentions, MultiObjectScene scene, List<float[]> maps) {
        int words = 0;
        int hits = 0;
        double chanceSum = 0;
        for (SceneMention mention : mentions) {
            List<SceneObject> matching = scene.objects().stream().filter(mention::hasColourAndKindOf).toList();
            if (matching.isEmpty()) {
                continue;
            }
            // The scene's boxes never share a pixel, so the union's area is the sum of theirs.
            double chance = matching.stream().mapToDouble(o -> (double) o.extent() * o.extent()).sum()
                    / ((double) scene.width() * scene.height());
            for (int position : new int[] {mention.colourPosition(), mention.kindPosition()}) {
                int peak = AttentionGrid.peak(maps.get(position));
                words++;
                chanceSum += chance;
                if (matching.stream().anyMatch(object -> AttentionGrid.centreInside(peak, scene, object))) {
                    hits++;
                }
            }
        }
        return new PointingAccuracy(words, hits, chanceSum);
    }

    public PointingAccuracy plus(PointingAccuracy other) {
        return new PointingAccuracy(words + other.words, hits + other.hits, chanceSum + other.chanceSum);
    }

    /** Share of scored words whose peak is inside their object; 0 where none was scored. */
    public double accuracy() {
        return Ratio.of(hits, words);
    }

    /** The mean chance of the scored words: what peaks spread evenly over the picture would score. */
    public double chance() {
        return Ratio.of(chanceSum, words);
    }
}
