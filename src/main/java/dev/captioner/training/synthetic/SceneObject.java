package dev.captioner.training.synthetic;

/**
 * One shape of a scene, drawn to fill its square box {@code [x, y, extent, extent]} in pixels.
 *
 * @param rgb the drawn colour, 0xRRGGBB: the colour's base RGB with a little jitter
 */
public record SceneObject(ShapeColour colour, ShapeKind kind, ShapeSize size, int x, int y, int extent, int rgb) {

    public SceneObject {
        if (colour == null || kind == null || size == null) {
            throw new IllegalArgumentException("colour, kind and size are required");
        }
        if (x < 0 || y < 0 || extent <= 0) {
            throw new IllegalArgumentException("the box must start inside the image and not be empty");
        }
    }

    public double centreX() {
        return x + extent / 2.0;
    }

    public double centreY() {
        return y + extent / 2.0;
    }

    /** Whether the two boxes come closer than {@code gap} pixels; with a gap of 0, whether they share a pixel. */
    boolean crowds(SceneObject other, int gap) {
        return x < other.x + other.extent + gap && other.x < x + extent + gap
                && y < other.y + other.extent + gap && other.y < y + extent + gap;
    }
}
