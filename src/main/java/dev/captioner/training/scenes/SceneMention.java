package dev.captioner.training.scenes;

import dev.captioner.training.synthetic.SceneObject;
import dev.captioner.training.synthetic.ShapeColour;
import dev.captioner.training.synthetic.ShapeKind;
import dev.captioner.training.synthetic.ShapeSize;

/**
 * One noun phrase of a caption that speaks of objects of a scene: "two green triangles", "a small red circle",
 * "three shapes", or what a badly generated caption leaves, such as a colour with no shape ("a red and ...").
 * Properties the phrase does not name are null, and their positions {@link #NO_POSITION}.
 *
 * @param statedCount    the number its words state ("two", "one", "a single"), or {@link #NOT_STATED}: "a" and
 *                       "the" state none, since "a red circle left of a blue square" says nothing of how many
 *                       red circles there are
 * @param plural         whether its noun is plural ("circles", "shapes")
 * @param colourPosition index of the colour word among the caption's tokens
 * @param kindPosition   index of the shape word ("circle", "triangles") among the caption's tokens; "shape" and
 *                       "object" name no kind
 */
public record SceneMention(int statedCount, boolean plural, ShapeSize size, ShapeColour colour, ShapeKind kind,
                           int colourPosition, int kindPosition) {

    public static final int NOT_STATED = 0;
    public static final int NO_POSITION = -1;

    public SceneMention {
        if (statedCount < 0) {
            throw new IllegalArgumentException("a stated count is positive, not " + statedCount);
        }
        if ((colour == null) != (colourPosition == NO_POSITION) || (kind == null) != (kindPosition == NO_POSITION)) {
            throw new IllegalArgumentException("a colour or shape is named exactly when its word has a position");
        }
    }

    /** Whether it names a colour and a shape, the pair object F1 and pointing are about. */
    public boolean namesColourAndKind() {
        return colour != null && kind != null;
    }

    /** Whether the object has the colour and shape this mention names (its size aside). */
    public boolean hasColourAndKindOf(SceneObject object) {
        return namesColourAndKind() && object.colour() == colour && object.kind() == kind;
    }

    /** Whether the object has every property this mention names; an object of any kind fits "three shapes". */
    public boolean fits(SceneObject object) {
        return (size == null || object.size() == size) && (colour == null || object.colour() == colour)
                && (kind == null || object.kind() == kind);
    }

    /** Whether it says how many: a number, or a plural noun without one ("red circles": more than one). */
    public boolean claimsCount() {
        return statedCount != NOT_STATED || plural;
    }

    /** Whether the claim holds when the scene has {@code fitting} objects that fit this mention. */
    public boolean countHolds(long fitting) {
        return statedCount != NOT_STATED ? fitting == statedCount : fitting > 1;
    }
}
