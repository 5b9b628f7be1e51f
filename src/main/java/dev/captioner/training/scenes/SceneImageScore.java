package dev.captioner.training.scenes;

import java.util.List;
import java.util.Optional;

/**
 * The scene scores of one generated caption.
 *
 * @param pointing empty for a decoder without attention
 */
public record SceneImageScore(List<SceneMention> mentions, ObjectNaming objects, CountAccuracy counts,
                              Optional<PointingAccuracy> pointing) {

    public SceneImageScore {
        mentions = List.copyOf(mentions);
    }
}
