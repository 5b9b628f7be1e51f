package dev.captioner.training.synthetic;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A scene cannot be made with objects that share a pixel, reach past the image, or number other than 1 to 4. */
class MultiObjectSceneTest {

    private static SceneObject square(int x, int y, int extent) {
        return new SceneObject(ShapeColour.RED, ShapeKind.SQUARE, ShapeSize.SMALL, x, y, extent, 0xDC1E1E);
    }

    private static MultiObjectScene scene(List<SceneObject> objects) {
        return new MultiObjectScene(100, 80, objects, 0xE0E0E0, 0xF0F0F0, 0);
    }

    @Test
    void boxesSideBySideAreApartButBoxesSharingAPixelAreNot() {
        assertThatCode(() -> scene(List.of(square(0, 0, 40), square(40, 0, 40)))).doesNotThrowAnyException();
        assertThatThrownBy(() -> scene(List.of(square(0, 0, 40), square(39, 39, 40))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("objects 1 and 2 overlap");
    }

    @Test
    void anObjectMustLieInsideTheImage() {
        assertThatCode(() -> scene(List.of(square(60, 40, 40)))).doesNotThrowAnyException();
        assertThatThrownBy(() -> scene(List.of(square(61, 40, 40)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scene(List.of(square(60, 41, 40)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> square(-1, 0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSceneHoldsOneToFourObjects() {
        assertThatThrownBy(() -> scene(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatCode(() -> scene(List.of(square(0, 0, 10), square(20, 0, 10), square(40, 0, 10), square(60, 0, 10))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> scene(List.of(square(0, 0, 10), square(20, 0, 10), square(40, 0, 10),
                square(60, 0, 10), square(80, 0, 10)))).isInstanceOf(IllegalArgumentException.class);
    }
}
