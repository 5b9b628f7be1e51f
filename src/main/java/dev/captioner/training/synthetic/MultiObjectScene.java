package dev.captioner.training.synthetic;

import java.util.List;

/**
 * A picture of one to four shapes whose boxes do not intersect, on a light gradient: complete enough to render
 * it again pixel for pixel.
 *
 * @param backgroundFromRgb background colour where the gradient starts, 0xRRGGBB
 * @param backgroundToRgb   background colour where the gradient ends, 0xRRGGBB
 * @param gradientAngle     direction of the background gradient, radians
 */
public record MultiObjectScene(int width, int height, List<SceneObject> objects, int backgroundFromRgb,
                               int backgroundToRgb, double gradientAngle) {

    public static final int MAX_OBJECTS = 4;

    public MultiObjectScene {
        objects = List.copyOf(objects);
        if (objects.isEmpty() || objects.size() > MAX_OBJECTS) {
            throw new IllegalArgumentException("a scene holds 1 to " + MAX_OBJECTS + " objects, not " + objects.size());
        }
        for (int i = 0; i < objects.size(); i++) {
            SceneObject object = objects.get(i);
            if (object.x() + object.extent() > width || object.y() + object.extent() > height) {
                throw new IllegalArgumentException("object " + (i + 1) + " reaches past the " + width + "x" + height
                        + " image");
            }
            for (int j = 0; j < i; j++) {
                if (object.crowds(objects.get(j), 0)) {
                    throw new IllegalArgumentException("objects " + (j + 1) + " and " + (i + 1) + " overlap");
                }
            }
        }
    }
}
