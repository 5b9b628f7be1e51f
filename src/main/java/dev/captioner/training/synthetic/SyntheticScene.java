package dev.captioner.training.synthetic;

/**
 * One synthetic image, complete enough to render it again pixel for pixel: what it shows (colour, kind,
 * size, position) and the exact geometry and colours drawn.
 *
 * @param centreX         shape centre in pixels; for a triangle, the centre of its bounding box
 * @param centreY         shape centre in pixels
 * @param extent          circle diameter, square side, or triangle base and height, in pixels
 * @param shapeRgb        the drawn shape colour, 0xRRGGBB: the colour's base RGB with a little jitter
 * @param backgroundFromRgb background colour where the gradient starts, 0xRRGGBB
 * @param backgroundToRgb background colour where the gradient ends, 0xRRGGBB
 * @param gradientAngle   direction of the background gradient, radians
 */
public record SyntheticScene(ShapeColour colour, ShapeKind kind, ShapeSize size, ShapePosition position,
                             int width, int height, double centreX, double centreY, double extent,
                             int shapeRgb, int backgroundFromRgb, int backgroundToRgb, double gradientAngle) {

    public SyntheticScene {
        if (colour == null || kind == null || size == null || position == null) {
            throw new IllegalArgumentException("colour, kind, size and position are required");
        }
        double half = extent / 2;
        if (width <= 0 || height <= 0 || extent <= 0 || centreX - half < 0 || centreX + half > width
                || centreY - half < 0 || centreY + half > height) {
            throw new IllegalArgumentException(String.format(
                    "the shape (centre %.1f,%.1f, extent %.1f) must lie inside the %dx%d image",
                    centreX, centreY, extent, width, height));
        }
    }
}
