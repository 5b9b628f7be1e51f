package dev.captioner.training.scenes;

import dev.captioner.training.synthetic.MultiObjectScene;
import dev.captioner.training.synthetic.SceneObject;
import dev.captioner.training.synthetic.ShapeColour;
import dev.captioner.training.synthetic.ShapeKind;
import dev.captioner.training.synthetic.ShapeSize;
import java.util.Arrays;
import java.util.List;

/** Hand-built scenes and captions for the score tests. */
final class TestScenes {

    private TestScenes() {
    }

    static SceneObject object(ShapeColour colour, ShapeKind kind, ShapeSize size, int x, int y, int extent) {
        return new SceneObject(colour, kind, size, x, y, extent, 0x808080);
    }

    static MultiObjectScene scene(int width, int height, SceneObject... objects) {
        return new MultiObjectScene(width, height, List.of(objects), 0xE0E0E0, 0xF0F0F0, 0);
    }

    static List<String> tokens(String caption) {
        return caption.isEmpty() ? List.of() : Arrays.asList(caption.split(" "));
    }

    static List<SceneMention> mentions(String caption) {
        return SceneMentions.read(tokens(caption));
    }
}
