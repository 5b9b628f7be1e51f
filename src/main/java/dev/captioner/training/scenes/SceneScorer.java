package dev.captioner.training.scenes;

import dev.captioner.evaluation.CaptionEvaluator;
import dev.captioner.training.synthetic.GeneratedScenes;
import dev.captioner.training.synthetic.MultiObjectScene;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Scores one decoder's captions of a set of generated scenes: BLEU-4 and CIDEr-D against the scenes' own
 * captions, object F1, count accuracy and, given the attention maps, pointing accuracy, each summed over the set.
 */
public final class SceneScorer {

    private final CaptionEvaluator evaluator;

    public SceneScorer() {
        this(new CaptionEvaluator());
    }

    public SceneScorer(CaptionEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    /**
     * The scores of a decoder without attention.
     *
     * @param captions per image id, the tokens of the caption generated for it: one for every image, no other
     */
    public SceneScores score(String decoder, List<GeneratedScenes.Image> images, Map<Integer, List<String>> captions) {
        return score(decoder, images, captions, Optional.empty());
    }

    /**
     * The scores of an attention decoder.
     *
     * @param attention per image id, one map of {@link AttentionGrid#CELLS} weights per token of its caption
     */
    public SceneScores score(String decoder, List<GeneratedScenes.Image> images, Map<Integer, List<String>> captions,
                             Map<Integer, List<float[]>> attention) {
        return score(decoder, images, captions, Optional.of(attention));
    }

    /** The scores of one caption; {@code attention} empty for a decoder without it. */
    public static SceneImageScore scoreImage(MultiObjectScene scene, List<String> tokens,
                                             Optional<List<float[]>> attention) {
        attention.ifPresent(maps -> {
            if (maps.size() != tokens.size()) {
                throw new IllegalArgumentException("a caption of " + tokens.size() + " tokens has " + maps.size()
                        + " attention maps; it needs one per token");
            }
        });
        List<SceneMention> mentions = SceneMentions.read(tokens);
        return new SceneImageScore(mentions, ObjectNaming.of(mentions, scene), CountAccuracy.of(mentions, scene),
                attention.map(maps -> PointingAccuracy.of(mentions, scene, maps)));
    }

    private SceneScores score(String decoder, List<GeneratedScenes.Image> images, Map<Integer, List<String>> captions,
                              Optional<Map<Integer, List<float[]>>> attention) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("there are no scenes to score");
        }
        requireEveryImage(images, captions.keySet(), "captions");
        attention.ifPresent(maps -> requireEveryImage(images, maps.keySet(), "attention maps"));
        ObjectNaming objects = ObjectNaming.NONE;
        CountAccuracy counts = CountAccuracy.NONE;
        Optional<PointingAccuracy> pointing = attention.map(maps -> PointingAccuracy.NONE);
        Map<String, List<String>> references = new LinkedHashMap<>();
        Map<String, String> candidates = new LinkedHashMap<>();
        for (GeneratedScenes.Image image : images) {
            List<String> tokens = captions.get(image.imageId());
            SceneImageScore scores;
            try {
                scores = scoreImage(image.scene(), tokens, attention.map(maps -> maps.get(image.imageId())));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("image " + image.imageId() + ": " + e.getMessage(), e);
            }
            objects = objects.plus(scores.objects());
            counts = counts.plus(scores.counts());
            pointing = pointing.map(total -> total.plus(scores.pointing().orElseThrow()));
            references.put(String.valueOf(image.imageId()), image.captions());
            candidates.put(String.valueOf(image.imageId()), String.join(" ", tokens));
        }
        Map<String, Double> corpus = evaluator.evaluate(references, candidates).corpus();
        return new SceneScores(decoder, images.size(), corpus.get(CaptionEvaluator.BLEU_4),
                corpus.get(CaptionEvaluator.CIDER), objects, counts, pointing);
    }

    /** The given ids must be the images' ids, each image once. */
    private static void requireEveryImage(List<GeneratedScenes.Image> images, Set<Integer> given, String what) {
        Set<Integer> ids = new TreeSet<>();
        for (GeneratedScenes.Image image : images) {
            if (!ids.add(image.imageId())) {
                throw new IllegalArgumentException("image " + image.imageId() + " is in the set twice");
            }
        }
        Set<Integer> missing = new TreeSet<>(ids);
        missing.removeAll(given);
        Set<Integer> extra = new TreeSet<>(given);
        extra.removeAll(ids);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " must be those of the " + ids.size() + " images"
                    + (missing.isEmpty() ? "" : "; missing for images " + firstFew(missing))
                    + (extra.isEmpty() ? "" : "; given for images not in the set " + firstFew(extra)));
        }
    }

    private static String firstFew(Set<Integer> ids) {
        String listed = ids.stream().limit(10).map(String::valueOf).collect(Collectors.joining(", "));
        return ids.size() > 10 ? listed + " and " + (ids.size() - 10) + " more" : listed;
    }
}
